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
  /**
   * The raw message, gzip then base64: kept as the report's evidence (the
   * .eml agents download). Dropped from the job once the report is stored.
   * Absent in jobs from before it was carried, and for what is no complaint.
   */
  raw?: string;
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

/** One grouped SLA alert, to the desk's alert mailbox and webhook; job id = its id. */
export interface SlaAlertJob {
  /** Stable per alert: the mail's Message-ID and the ledger's key (sent once, even if retried). */
  id: string;
  alert: 'breach' | 'warning' | 'resolved';
  subject: string;
  text: string;
  count: number;
  /** The ten worst findings, for the webhook's JSON. */
  worst: Array<{ clock: string; subject: string; priority?: string; seconds: number; count?: number }>;
}

/** A job of the alerts queue: a case's escalation mails, or an SLA alert. */
export type AlertJob = (NotifyJob & { sla?: undefined }) | { sla: SlaAlertJob; caseRef?: undefined; mails?: undefined };
