import type { DeliveryOutcome } from './deliver-case.ts';
import type { MailIntent } from './mail-intent.ts';

/**
 * What a mail job does once a delivery attempt is over: done (nothing left
 * to send); the relay is out (the job waits for it, within its retry window);
 * the recipient's server said "later" (retried with backoff); or, past
 * delivery.retryForSec, the mails left go to the dead-letter queue, with why.
 * Pure.
 */
export type AfterDelivery =
  | { next: 'done' }
  | { next: 'wait-for-relay' }
  | { next: 'retry'; message: string }
  | { next: 'dead-letter'; reason: string };

export function afterDelivery(out: DeliveryOutcome, mails: readonly MailIntent[], caseRef: string, expired: boolean, retryForSec: number): AfterDelivery {
  if (!out.pending.length) return { next: 'done' };
  const why = out.relay ? `our relay failed at ${out.relay.stage}${out.relay.code ? ` (${out.relay.code})` : ''}` : "the recipient's server kept saying later";
  if (!expired) {
    if (out.relay) return { next: 'wait-for-relay' };
    return { next: 'retry', message: `${out.pending.length} of ${mails.length} mails of ${caseRef} not sent yet: ${why}` };
  }
  return { next: 'dead-letter', reason: `not sent within delivery.retryForSec (${retryForSec} s): ${why}` };
}

/** The acknowledgements done with (sent, refused or held, none pending): their complaints' clock stops. */
export function settledAcknowledgements(mails: readonly MailIntent[], out: DeliveryOutcome): string[] {
  const pending = new Set(out.pending.map((m) => m.id));
  return mails.filter((m) => m.kind === 'acknowledgement' && m.reportKey && !pending.has(m.id)).map((m) => m.reportKey!);
}
