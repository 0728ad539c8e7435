import type { MailIntent } from '../notify/mail-intent.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';

/** One message read from the mailbox, parsed; job id = message key. */
export interface TriageJob {
  key: string;
  mailbox: string;
  uidValidity: string;
  uid: number;
  /** Server's INTERNALDATE: when the message reached the mailbox (ISO). */
  receivedAt: string;
  message: ParsedMessage;
}

/** The mails of one case; job id = notify-<case ref>. */
export interface NotifyJob {
  caseRef: string;
  mails: MailIntent[];
}

/** Mails of a case that could not be sent within delivery.retryForSec. Never processed by a worker: ops re-queue them. */
export interface DeadLetterJob extends NotifyJob {
  /** Why the last attempt failed (stage and code, no addresses). */
  reason: string;
  /** When the case's first delivery attempt was queued (ISO). */
  queuedAt: string;
}
