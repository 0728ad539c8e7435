import type { Logger } from '../log.ts';
import { scrubbed } from '../log.ts';
import type { CaseStore } from '../cases/case-store.ts';
import type { OpsEvents } from '../ops-events.ts';
import { composeMail, type ComposeSettings, type OutgoingMail } from './compose.ts';
import type { MailState, Party, ThreadMail } from '../cases/mail-thread.ts';
import { classifyDeliveryError, type ClassifiedFailure } from './delivery-error.ts';
import type { MailIntent } from './mail-intent.ts';
import { buildRaw } from './mime.ts';
import type { SendCaps } from './send-caps.ts';
import type { SentLedger } from './sent-ledger.ts';
import type { MailSender } from './smtp-sender.ts';
import type { SuppressionList } from './suppression.ts';
import type { TemplateSet } from './templates.ts';

export interface DeliveryDeps {
  ledger: SentLedger;
  sender: MailSender;
  caps: SendCaps;
  suppression: SuppressionList;
  cases: CaseStore;
  templates: TemplateSet;
  compose: ComposeSettings;
  envelopeFrom: string;
  logger: Logger;
  events: OpsEvents;
}

export interface DeliveryOutcome {
  sent: number;
  refused: number;
  held: number;
  /** Mails to try again later: the recipient's server said "later", or our relay failed. */
  pending: MailIntent[];
  /** Set when our relay path failed: the rest of the case waits. */
  relay?: ClassifiedFailure;
  /** The relay's error, when it failed (for the outage's log line). */
  relayError?: unknown;
}

/**
 * Sends the mails of one case, each at most once: the ledger is checked
 * before and written right after each send, and marked the moment the relay
 * has a message's end of data, so a crash while waiting for its answer does
 * not send it again. A mail may be held back first:
 * to a suppressed address, or an acknowledgement over its recipient's cap;
 * the case records why. (How many notices a case sends is the case store's
 * decision, taken under the case's row lock.) A refusal by the recipient's server is recorded; a
 * failure of our relay path stops the case there (the next mails would fail
 * the same way) and is raised to ops; neither the relay nor a "later" is
 * ever recorded against a recipient.
 */
export async function deliverCase(caseRef: string, mails: readonly MailIntent[], d: DeliveryDeps): Promise<DeliveryOutcome> {
  const out: DeliveryOutcome = { sent: 0, refused: 0, held: 0, pending: [] };
  const [known, suppressed] = await Promise.all([d.ledger.outcomes(mails.map((m) => m.id)), d.suppression.reasons(mails.map((m) => m.to))]);
  for (const intent of mails.filter((m) => known.get(m.id) === 'handed')) {
    // The relay had the whole message when a process died waiting for its
    // answer (or the answer was lost): it has the mail; sending it again
    // would mail someone twice.
    d.logger.warn({ caseRef, mail: intent.id, kind: intent.kind }, "mail reached the relay before a restart; its answer was not seen; counted as sent, not sent again");
    await sent(intent, d, out, { answer: 'not seen: the relay had the whole message when the sender stopped' });
  }
  for (const intent of mails.filter((m) => known.get(m.id) === 'accepted')) {
    // Sent before, but its history line could not be written then (the case store was out).
    await sent(intent, d, out, {}, true);
  }
  const todo = mails.filter((m) => !known.has(m.id));
  for (let i = 0; i < todo.length; i++) {
    const intent = todo[i]!;
    const hold = await holdReason(intent, suppressed, d);
    if (hold) {
      const held = hold.reason;
      // The thread first: a store outage here leaves the mail undecided, and the retry holds it again.
      await d.cases.recordMail(threadMail(intent, composeMail(intent, d.templates, d.compose), hold.why, held));
      await d.ledger.record(intent.id, 'held');
      await d.cases.addEvent(intent.caseRef, { kind: 'mail-held', mail: intent.id, mailKind: intent.kind, reason: held });
      d.events.emit('mail-held', { caseRef, kind: intent.kind, reason: held, why: hold.why });
      d.logger.warn({ caseRef, mail: intent.id, kind: intent.kind, reason: held }, 'mail held back');
      out.held++;
      continue;
    }
    const mail = composeMail(intent, d.templates, d.compose);
    let handed = false;
    try {
      await d.sender.send({ from: d.envelopeFrom, to: [mail.to] }, buildRaw(mail), () => {
        handed = true;
        d.ledger.handedOver(intent.id);
      });
    } catch (err) {
      const c = classifyDeliveryError(err);
      // Not taken after all (or no answer): the mark must not stop the retry.
      if (handed && c.failure !== 'refused') await d.ledger.retract(intent.id);
      const fields = { caseRef, mail: intent.id, kind: intent.kind, stage: c.stage, code: c.code, err: scrubbed(err) };
      if (c.failure === 'refused') {
        await d.ledger.record(intent.id, 'rejected');
        await d.cases.recordMail(threadMail(intent, mail, 'refused', `refused by the recipient's server (${c.code ?? c.stage})`));
        await d.cases.addEvent(intent.caseRef, { kind: 'mail-refused', mail: intent.id, mailKind: intent.kind, reason: `refused by the recipient's server (${c.code ?? c.stage})` });
        d.logger.error(fields, "mail refused by the recipient's server; not retried");
        d.events.emit('mail-refused', { kind: intent.kind });
        out.refused++;
      } else if (c.failure === 'deferred') {
        d.logger.warn(fields, "recipient's server said later; will retry");
        out.pending.push(intent);
      } else {
        out.relay = c;
        out.relayError = err;
        out.pending.push(...todo.slice(i));
        // The outage itself is logged once, by the notify worker's relay gate.
        d.logger.debug({ ...fields, pending: todo.length - i }, 'our SMTP relay failed; mail waits and is retried');
        d.events.emit('relay-failure', { caseRef, kind: intent.kind, stage: c.stage, code: c.code, pending: todo.length - i });
        break;
      }
      continue;
    }
    await sent(intent, d, out, {}, false, mail);
    d.logger.info({ caseRef, mail: intent.id, kind: intent.kind }, 'mail sent');
  }
  return out;
}

/**
 * A mail the relay took: recorded, on its case (notices and escalations), and
 * counted. The ledger says `accepted` before the case's history is written,
 * so a store outage there neither sends the mail again nor loses its line:
 * the retried job writes it (`again`: only if it is not there yet).
 */
async function sent(intent: MailIntent, d: DeliveryDeps, out: DeliveryOutcome, detail: Record<string, unknown> = {}, again = false, mail = composeMail(intent, d.templates, d.compose)): Promise<void> {
  if (!again) await d.ledger.record(intent.id, 'accepted');
  // In the case's thread as sent (rendering is pure: a retry composes the same mail).
  await d.cases.recordMail(threadMail(intent, mail, 'sent'));
  if (intent.kind !== 'acknowledgement') {
    const event = { kind: 'mail-sent', mail: intent.id, mailKind: intent.kind, ...detail };
    if (intent.kind === 'notice' && (intent.noticeSeq ?? 1) === 1) {
      // A first notice accepted: the notice clock of every case it covers stops (the SLA measures acceptance, not queueing).
      const covers = [...new Set([intent.caseRef, ...intent.targets.map((t) => t.caseRef).filter((r): r is string => !!r)])];
      await d.cases.firstNoticeSent(intent.caseRef, event, covers, again ? intent.id : undefined);
    } else await d.cases.addEvent(intent.caseRef, event, null, again ? intent.id : undefined);
  }
  await d.ledger.record(intent.id, 'sent');
  out.sent++;
  d.events.emit('mail-sent', { kind: intent.kind, receivedAt: intent.receivedAt, firstNotice: intent.kind.startsWith('notice') && (intent.noticeSeq ?? 1) === 1 });
}

// Who each kind of mail goes to, for the thread.
const PARTY: Record<string, Party> = { acknowledgement: 'reporter', decision: 'reporter', unfounded: 'reporter', notice: 'customer', statement: 'customer', escalation: 'desk' };

/** A mail as the case's thread keeps it. */
export function threadMail(intent: MailIntent, mail: OutgoingMail, state: MailState, reason?: string): ThreadMail {
  const also = [...(intent.cases ?? []).map((c) => c.ref), ...intent.targets.map((t) => t.caseRef).filter((r): r is string => !!r)].filter((r) => r !== intent.caseRef);
  return { id: intent.id, caseRef: intent.caseRef, alsoCases: [...new Set(also)], kind: intent.kind, party: PARTY[intent.kind] ?? 'desk', to: intent.to, subject: mail.subject, text: mail.text, state, reason };
}

async function holdReason(intent: MailIntent, suppressedAddresses: ReadonlyMap<string, string>, d: DeliveryDeps): Promise<{ reason: string; why: 'capped' | 'suppressed' } | null> {
  // The desk's own escalations always go: they are how a person hears of a case.
  if (intent.kind === 'escalation') return null;
  const suppressed = suppressedAddresses.get(intent.to.toLowerCase());
  if (suppressed) return { reason: `address suppressed after a bounce of our mail (${suppressed})`, why: 'suppressed' };
  if (intent.kind === 'acknowledgement') {
    const verdict = await d.caps.allow(intent.id, intent.to);
    return verdict.allowed ? null : { reason: verdict.reason, why: 'capped' };
  }
  return null;
}
