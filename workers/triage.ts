import { Worker, type Job } from 'bullmq';
import { reportRefFor } from '../src/cases/case-ref.ts';
import { openCaseStore } from '../src/cases/case-db.ts';
import { untilStoreAnswers } from '../src/cases/wait-for-store.ts';
import { planReport } from '../src/cases/plan-report.ts';
import { caseReferenceIn } from '../src/cases/replies.ts';
import { splitForward } from '../src/classify/forwards.ts';
import { isStoreUnavailable } from '../src/cases/store-errors.ts';
import { AssignBatcher } from '../src/cases/assign-batcher.ts';
import { startSlaScanner } from '../src/ops/sla-scanner.ts';
import { readOwnBounce } from '../src/classify/bounce.ts';
import { senderAddress, senderDomain } from '../src/notify/compose.ts';
import { deskSecret, REPLY_ADDRESS_SECRET } from '../src/cases/desk-secrets.ts';
import { replyTrust } from '../src/cases/reply-trust.ts';
import { OperatorStore } from '../src/operators/operator-store.ts';
import { planMails } from '../src/notify/plan-mails.ts';
import { SuppressionList } from '../src/notify/suppression.ts';
import { workerLockOptions } from '../src/queue/job-options.ts';
import { dispatchMails } from '../src/queue/dispatch-mails.ts';
import { PendingAcks } from '../src/ops/pending-acks.ts';
import { startAlertsWorker } from './alerts.ts';
import { createRedis } from '../src/queue/connection.ts';
import { OutageGate } from '../src/queue/outage-gate.ts';
import { parkJob, wakeParked } from '../src/queue/park-job.ts';
import { countOpsEvents } from '../src/ops/desk-counters.ts';
import { QUEUES } from '../src/queue/names.ts';
import { logWorkerFailures } from '../src/queue/worker-events.ts';
import type { TriageJob } from '../src/queue/payloads.ts';
import { createQueues } from '../src/queue/queues.ts';
import type { Runtime } from '../src/runtime.ts';
import { DnsResolver } from '../src/directory/dns-resolver.ts';
import { createAnalysisPool } from '../src/triage/analysis-pool.ts';
import { triageMessage } from '../src/triage/triage-message.ts';
import { triageSettings } from '../src/triage/triage-settings.ts';

/**
 * Triage worker: decision (pure) → case record → one notify job per case.
 * Every effect is idempotent (case created with NX, notify job id per case),
 * so a retried or duplicated job changes nothing.
 */
export async function startTriageWorker(rt: Runtime): Promise<{ close(): Promise<void> }> {
  const { config, logger } = rt;
  const prefix = config.redis.prefix;
  const redis = createRedis({ url: config.redis.url, role: 'client', name: 'triage' });
  const queues = createQueues(config, redis);
  const storeWait = { logger, initialMs: config.jobs.outage.probeInitialMs, maxMs: config.jobs.outage.probeMaxMs };
  const cases = await untilStoreAnswers(() => openCaseStore(config), storeWait);
  const reportSettings = { trustedReporters: config.cases.trustedReporters, noticePolicy: config.cases.noticePolicy };
  // Reports of concurrent jobs share a transaction when one is already in flight.
  const batcher = new AssignBatcher((reports) => cases.assign(reports), isStoreUnavailable);
  const suppression = new SuppressionList(redis, prefix, config.caps.suppressForSec);
  const pendingAcks = new PendingAcks(redis, prefix);
  const ourDomain = senderDomain(config.desk.from);
  const dns = config.dns.enabled ? new DnsResolver(config.dns) : null;
  const settings = triageSettings(config);
  // What a customer's reply is checked against (src/cases/reply-trust.ts).
  const replySecret = await untilStoreAnswers(() => deskSecret(cases.pool, REPLY_ADDRESS_SECRET), storeWait);
  const deskAddress = senderAddress(config.desk.from);
  const pool = createAnalysisPool(config, logger);

  // While the case store is unreachable, reports are parked (delayed, no
  // attempt used up) and one probe per process watches for its return; the
  // moment it answers, the parked reports resume (src/queue/outage-gate.ts).
  const parkMs = config.jobs.outage.parkSec * 1000;
  const storeGate = new OutageGate({
    what: 'case store',
    probe: async () => void (await cases.pool.query('SELECT 1')),
    initialMs: config.jobs.outage.probeInitialMs,
    maxMs: config.jobs.outage.probeMaxMs,
    logger,
    onDown: (err) => rt.events.emit('outage', { service: 'store', state: 'down', code: (err as { code?: string }).code }),
    onUp: async (outageMs) => {
      rt.events.emit('outage', { service: 'store', state: 'up', outageMs });
      await wakeParked(queues.triage);
    },
  });
  const park = (job: Job<TriageJob>, token: string | undefined): Promise<never> => {
    storeGate.parkedOne();
    return parkJob(job, token, Date.now() + parkMs);
  };
  /** Every case store call of a job: an outage parks the job (see above); any other error fails it as usual. */
  const fromStore = async <T>(job: Job<TriageJob>, token: string | undefined, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      storeGate.report(err);
      return park(job, token);
    }
  };

  const workerRedis = createRedis({ url: config.redis.url, role: 'worker', name: 'triage-worker' });
  const worker = new Worker<TriageJob>(
    QUEUES.triage,
    async (job, token) => {
      const { message, key, receivedAt } = job.data;
      // Known to be out: wait without trying (nor analysing, which would be done again).
      if (storeGate.down) return park(job, token);
      // One directory for the whole job, even if a reload swaps it meanwhile.
      const directory = rt.directory.get();
      const d = await triageMessage(message, directory, settings, dns, pool.analyse);
      if (d.mailKind === 'bounce') {
        // A bounce of our own mail: stop writing to the address that failed.
        const bounce = readOwnBounce(message, ourDomain);
        for (const address of bounce?.failed ?? []) await suppression.add(address, `bounce of ${bounce!.messageIds[0]}`);
        if (bounce?.failed.length) logger.warn({ job: job.id, suppressed: bounce.failed.length, mail: bounce.messageIds[0] }, 'our mail bounced; address suppressed');
      }
      const store = <T>(call: () => Promise<T>): Promise<T> => fromStore(job, token, call);
      // The case a message answers, if it carries one of our references.
      const answered = caseReferenceIn(message, config.desk.caseRefPrefix, ourDomain);
      if (!d.isComplaint && answered && (d.mailKind === 'auto-reply' || d.mailKind === 'bounce')) {
        // An automatic answer to one of our mails is recorded on its case and changes nothing.
        const c = await store(() => cases.caseByRef(answered.ref));
        if (c) await store(() => cases.automaticReply(c.id, key, d.mailKind));
      }
      if (!d.isComplaint) {
        // Owed no acknowledgement: its clock stops here.
        await pendingAcks.settle([key]);
        logger.info({ job: job.id, kind: d.mailKind }, 'not a complaint; no case opened');
        return { complaint: false, kind: d.mailKind };
      }
      const input = planReport(message, d, key, receivedAt, reportSettings);
      // A message answering one of our cases: the customer's answer changes
      // its status (and nothing is sent); anyone else's follow-up joins it.
      if (answered) {
        const c = await store(() => cases.caseByRef(answered.ref));
        if (c && !c.closed) {
          const sender = (message.replyTo ?? message.from)?.address.toLowerCase();
          const contact = c.customerId ? directory.customer(c.customerId)?.contact.email.toLowerCase() : undefined;
          if ((contact && sender === contact) || answered.kind === 'notice' || answered.kind === 'statement' || answered.tag !== undefined) {
            // Presented as the customer's: it changes the case only if it can be trusted (src/cases/reply-trust.ts).
            const trust = replyTrust(message, { caseRef: c.ref, replySecret, deskAddress, customerContact: contact ?? null, trustedAuthServIds: config.replies.trustedAuthServIds });
            // Their own words, above any quoted mail, for the case's history.
            const words = splitForward(message.text).own.trim().slice(0, 4000);
            // A reply in the customer's name is owed no acknowledgement.
            await pendingAcks.settle([key]);
            if (!trust.verified) {
              await store(() => cases.unverifiedReply(c.id, key, words, trust.why));
              logger.warn({ job: job.id, caseRef: c.ref, why: trust.why }, 'a reply in the customer\'s name could not be verified; recorded on the case, which stays as it was');
              return { complaint: false, reply: 'unverified', caseRef: c.ref };
            }
            const changed = await store(() => cases.customerReplied(c.id, key, words, trust.via!));
            logger.info({ job: job.id, caseRef: c.ref, changed, via: trust.via }, 'customer answered a case');
            return { complaint: false, reply: 'customer', caseRef: c.ref };
          }
          input.links = [c.link];
          input.signals = [];
        }
      }
      // The case store decides (under the case's row lock) which cases the
      // report joins and what they set off; a retried job gets the same answer.
      const outcome = await store(() => batcher.submit(input));
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
      if (mails.length) {
        const urgent = outcome.cases.some((c) => c.priority === 'urgent') || !!outcome.escalation;
        await dispatchMails(queues, mails, `notify-${reportRef}`, urgent);
      }
      // A complaint owed no acknowledgement (automated, or no address to answer): its clock stops here.
      if (!mails.some((m) => m.kind === 'acknowledgement')) await pendingAcks.settle([key]);
      const fields = {
        job: job.id,
        caseRef,
        cases: outcome.cases.length,
        joined: outcome.cases.filter((c) => !c.created).length,
        replay: outcome.replay,
        category: d.category,
        priority: outcome.cases[0]!.priority,
        mails: mails.length,
      };
      // Counted once per complaint: a retried job replays its outcome and counts nothing.
      if (!outcome.replay) rt.events.emit('complaint-triaged', { category: d.category, priority: fields.priority, kind: d.mailKind, receivedAt });
      if (outcome.escalation) logger.warn({ ...fields, reason: outcome.escalation.reasons.join('; ') }, 'case escalated to a human');
      else logger.info(fields, 'complaint triaged');
      return { complaint: true, caseRef };
    },
    { connection: workerRedis, prefix, concurrency: config.workers.triageConcurrency, ...workerLockOptions(config.jobs) },
  );
  logWorkerFailures(worker, logger, 'triage', rt.events);
  // Mails and complaints counted, stages timed, in Redis for /metrics.
  const counted = countOpsEvents(rt.events, redis, prefix, logger);

  // Retention: quiet cases closed, then reporters of long-closed cases erased.
  // Idempotent, so every triage process may run it.
  const sweep = async (): Promise<void> => {
    try {
      const closed = await cases.closeQuiet();
      const erased = await cases.purgeReporters(config.cases.retention.reporterDataDays);
      const sessions = await new OperatorStore(cases.pool).purgeSessions();
      if (closed || erased || sessions) logger.info({ closed, erased, sessions }, 'case retention sweep');
    } catch (err) {
      logger.error({ err }, 'case retention sweep failed; retried at the next interval');
    }
  };
  // SLA clocks: checked by every triage process, alerted once across them;
  // alerts and escalations leave through the alerts worker every triage process runs too.
  const sla = config.sla.enabled ? startSlaScanner({ config, redis, pool: cases.pool, queues, logger, events: rt.events }) : null;
  const alerts = await startAlertsWorker(rt, cases);
  const sweeper = config.cases.retention.sweepIntervalSec > 0 ? setInterval(() => void sweep(), config.cases.retention.sweepIntervalSec * 1000) : null;
  sweeper?.unref();

  return {
    async close() {
      if (sweeper) clearInterval(sweeper);
      storeGate.close();
      sla?.close();
      await alerts.close();
      await worker.close();
      await counted.close();
      await pool.close();
      await cases.end();
      dns?.close();
      await queues.close();
      await Promise.all([workerRedis.quit(), redis.quit()]).catch(() => undefined);
    },
  };
}
