import type { AssignBatcher } from '../cases/assign-batcher.ts';
import { reportRefFor } from '../cases/case-ref.ts';
import type { CaseStore } from '../cases/case-store.ts';
import { packEvidence } from '../cases/evidence-pack.ts';
import { reportView } from '../cases/report-view.ts';
import { planReport, type ReportPlanSettings } from '../cases/plan-report.ts';
import { caseReferenceIn } from '../cases/replies.ts';
import { replyTrust } from '../cases/reply-trust.ts';
import type { Config } from '../config/schema.ts';
import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { Logger } from '../log.ts';
import { suppressBounced } from '../notify/bounce-suppression.ts';
import type { MailIntent } from '../notify/mail-intent.ts';
import { planMails } from '../notify/plan-mails.ts';
import type { SuppressionList } from '../notify/suppression.ts';
import type { OpsEvents } from '../ops-events.ts';
import type { PendingAcks } from '../ops/pending-acks.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import type { Verdict } from '../triage/verdict.ts';
import { answerToCase } from './answer-to-case.ts';

/** What handling one message needs: the stores, the queues' entry point, the desk's settings. */
export interface IntakeDeps {
  config: Readonly<Config>;
  logger: Logger;
  events: OpsEvents;
  cases: Pick<CaseStore, 'caseByRef' | 'automaticReply' | 'unverifiedReply' | 'customerReplied'>;
  /** Assigns the report to its cases (batched with concurrent jobs' reports). */
  batcher: Pick<AssignBatcher, 'submit'>;
  suppression: SuppressionList;
  pendingAcks: PendingAcks;
  reportSettings: ReportPlanSettings;
  /** The desk's own domain (bounces and references are ours only from it) and reply address. */
  ourDomain: string;
  deskAddress: string;
  replySecret: Buffer;
  /** Queues the mails (queue/dispatch-mails.ts). */
  dispatch: (mails: readonly MailIntent[], jobId: string, urgent: boolean) => Promise<void>;
  /**
   * Every case store call goes through this: the worker parks the job while
   * the store is out (queue/service-gate.ts) and fails it on any other error.
   */
  store: <T>(call: () => Promise<T>) => Promise<T>;
}

export interface IncomingMessage {
  message: ParsedMessage;
  key: string;
  receivedAt: string;
  /** The raw message, gzip-compressed, as the poller read it (absent from older jobs). */
  rawGz?: Buffer;
  /** For the log lines: the queue job's id. */
  jobId: string | undefined;
}

export type IntakeResult =
  | { complaint: false; kind: string }
  | { complaint: false; reply: 'unverified' | 'customer'; caseRef: string }
  | { complaint: true; caseRef: string };

/**
 * What happens to one message once triage gave its verdict: a bounce of our
 * own mail suppresses the address; an automatic answer to one of our mails is
 * recorded on its case; a reply in the customer's name changes the case only
 * if it can be trusted; a complaint (a follow-up joining the case it
 * answers) is assigned to its cases and its mails are queued. Every effect
 * is idempotent: a retried job changes nothing more. The triage worker wires
 * it to its queue; the web form and the API will feed it too.
 */
export async function handleMessage(deps: IntakeDeps, incoming: IncomingMessage, verdict: Verdict, directory: CustomerDirectory): Promise<IntakeResult> {
  const { config, logger, store } = deps;
  const { message, key, receivedAt, jobId } = incoming;
  const d = verdict;
  if (d.mailKind === 'bounce') {
    const bounced = await suppressBounced(message, deps.ourDomain, deps.suppression);
    if (bounced) logger.warn({ job: jobId, suppressed: bounced.suppressed, mail: bounced.messageId }, 'our mail bounced; address suppressed');
  }
  // The case a message answers, if it carries one of our references.
  const answered = caseReferenceIn(message, config.desk.caseRefPrefix, deps.ourDomain);
  if (!d.isComplaint && answered && (d.mailKind === 'auto-reply' || d.mailKind === 'bounce')) {
    // An automatic answer to one of our mails is recorded on its case and changes nothing.
    const c = await store(() => deps.cases.caseByRef(answered.ref));
    if (c) await store(() => deps.cases.automaticReply(c.id, key, d.mailKind));
  }
  if (!d.isComplaint) {
    // Owed no acknowledgement: its clock stops here.
    await deps.pendingAcks.settle([key]);
    logger.info({ job: jobId, kind: d.mailKind }, 'not a complaint; no case opened');
    return { complaint: false, kind: d.mailKind };
  }
  const input = planReport(message, d, key, receivedAt, deps.reportSettings);
  // What a person reads on the case, and the .eml: stored with the report, in its transaction.
  input.kept = packEvidence(reportView(message, d), incoming.rawGz ?? null, message.size);
  if (answered) {
    const c = await store(() => deps.cases.caseByRef(answered.ref));
    const contact = c?.customerId ? directory.customer(c.customerId)?.contact.email.toLowerCase() : undefined;
    const answer = c ? answerToCase(message, answered, c, contact) : { as: 'none' as const };
    if (answer.as === 'customer' && c) {
      // Presented as the customer's: it changes the case only if it can be trusted (src/cases/reply-trust.ts).
      const trust = replyTrust(message, { caseRef: c.ref, replySecret: deps.replySecret, deskAddress: deps.deskAddress, customerContact: contact ?? null, trustedAuthServIds: config.replies.trustedAuthServIds });
      // A reply in the customer's name is owed no acknowledgement.
      await deps.pendingAcks.settle([key]);
      if (!trust.verified) {
        await store(() => deps.cases.unverifiedReply(c.id, key, answer.words, trust.why));
        logger.warn({ job: jobId, caseRef: c.ref, why: trust.why }, "a reply in the customer's name could not be verified; recorded on the case, which stays as it was");
        return { complaint: false, reply: 'unverified', caseRef: c.ref };
      }
      const changed = await store(() => deps.cases.customerReplied(c.id, key, answer.words, trust.via!));
      logger.info({ job: jobId, caseRef: c.ref, changed, via: trust.via }, 'customer answered a case');
      return { complaint: false, reply: 'customer', caseRef: c.ref };
    }
    if (answer.as === 'follow-up') {
      // Anyone else's follow-up joins the case it answers.
      input.links = [answer.link];
      input.signals = [];
    }
  }
  // The case store decides (under the case's row lock) which cases the
  // report joins and what they set off; a retried job gets the same answer.
  const outcome = await store(() => deps.batcher.submit(input));
  const reportRef = reportRefFor(config.desk.caseRefPrefix, key);
  const mails = planMails(message, d, outcome, directory, {
    reportRef,
    reportKey: key,
    receivedAt,
    escalateTo: config.desk.escalateTo,
    noticeExcerptChars: config.limits.noticeExcerptChars,
    ladder: config.ladder,
  });
  const caseRef = outcome.cases[0]!.ref;
  if (mails.length) await deps.dispatch(mails, `notify-${reportRef}`, outcome.cases.some((c) => c.priority === 'urgent') || !!outcome.escalation);
  // A complaint owed no acknowledgement (automated, or no address to answer): its clock stops here.
  if (!mails.some((m) => m.kind === 'acknowledgement')) await deps.pendingAcks.settle([key]);
  const fields = {
    job: jobId,
    caseRef,
    cases: outcome.cases.length,
    joined: outcome.cases.filter((c) => !c.created).length,
    replay: outcome.replay,
    category: d.category,
    priority: outcome.cases[0]!.priority,
    mails: mails.length,
  };
  // Counted once per complaint: a retried job replays its outcome and counts nothing.
  if (!outcome.replay) deps.events.emit('complaint-triaged', { category: d.category, priority: fields.priority, kind: d.mailKind, receivedAt });
  if (outcome.escalation) logger.warn({ ...fields, reason: outcome.escalation.reasons.join('; ') }, 'case escalated to a human');
  else logger.info(fields, 'complaint triaged');
  return { complaint: true, caseRef };
}
