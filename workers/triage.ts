import { Worker, type Job } from 'bullmq';
import { openCaseStore } from '../src/cases/case-db.ts';
import { storeWaitOf, untilStoreAnswers } from '../src/cases/wait-for-store.ts';
import { isStoreUnavailable } from '../src/cases/store-errors.ts';
import { AssignBatcher } from '../src/cases/assign-batcher.ts';
import { startSlaScanner } from '../src/ops/sla-scanner.ts';
import { senderAddress, senderDomain } from '../src/notify/compose.ts';
import { deskSecret, REPLY_ADDRESS_SECRET } from '../src/cases/desk-secrets.ts';
import { SuppressionList } from '../src/notify/suppression.ts';
import { workerLockOptions } from '../src/queue/job-options.ts';
import { dispatchMails } from '../src/queue/dispatch-mails.ts';
import { PendingAcks } from '../src/ops/pending-acks.ts';
import { startAlertsWorker } from './alerts.ts';
import { createRedis } from '../src/queue/connection.ts';
import { parkJob } from '../src/queue/park-job.ts';
import { parkedIfStoreOut, serviceGate } from '../src/queue/service-gate.ts';
import { handleMessage, type IntakeDeps } from '../src/intake/handle-message.ts';
import { deadlineOf, startDeadlineRefresher } from '../src/ops/sla-deadlines.ts';
import { startRetentionSweep } from '../src/ops/retention-sweep.ts';
import { countOpsEvents } from '../src/ops/desk-counters.ts';
import { QUEUES } from '../src/queue/names.ts';
import { logWorkerFailures } from '../src/queue/worker-events.ts';
import type { TriageJob } from '../src/queue/payloads.ts';
import { createQueues } from '../src/queue/queues.ts';
import type { Runtime } from '../src/runtime.ts';
import { DnsResolver } from '../src/directory/dns-resolver.ts';
import { createAnalysisPool } from '../src/triage/analysis-pool.ts';
import { triageMessage } from '../src/triage/triage-message.ts';
import { learnedRulesFor } from '../src/cases/learned-rules.ts';
import { reportSource } from '../src/triage/learned-rules.ts';
import { triageSettings } from '../src/triage/triage-settings.ts';

/**
 * Triage worker: wires the triage queue to the verdict (src/triage) and to
 * what follows it (src/intake/handle-message.ts: cases, replies, mails).
 * Every effect is idempotent, so a retried or duplicated job changes nothing.
 * Each triage process also runs the SLA scanner, the retention sweep and an
 * alerts worker.
 */
export async function startTriageWorker(rt: Runtime): Promise<{ close(): Promise<void> }> {
  const { config, logger } = rt;
  const prefix = config.redis.prefix;
  const redis = createRedis({ url: config.redis.url, role: 'client', name: 'triage' });
  const queues = createQueues(config, redis);
  const storeWait = storeWaitOf(config, logger);
  // With the SLA policy: a case is opened with its deadline (src/ops/sla-deadlines.ts).
  const cases = await untilStoreAnswers(() => openCaseStore(config, { deadlineOf: deadlineOf(config.sla) }), storeWait);
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
  const storeGate = serviceGate({ config, logger, events: rt.events, queue: queues.triage, service: 'store', what: 'case store', probe: async () => void (await cases.pool.query('SELECT 1')) });
  const park = (job: Job<TriageJob>, token: string | undefined): Promise<never> => {
    storeGate.parkedOne();
    return parkJob(job, token, Date.now() + parkMs);
  };
  const deps: Omit<IntakeDeps, 'store'> = {
    config,
    logger,
    events: rt.events,
    cases,
    batcher,
    suppression,
    pendingAcks,
    reportSettings,
    ourDomain,
    deskAddress,
    replySecret,
    dispatch: (mails, jobId, urgent) => dispatchMails(queues, mails, jobId, urgent),
  };

  const workerRedis = createRedis({ url: config.redis.url, role: 'worker', name: 'triage-worker' });
  const worker = new Worker<TriageJob>(
    QUEUES.triage,
    async (job, token) => {
      const { message, key, receivedAt, raw } = job.data;
      // Known to be out: wait without trying (nor analysing, which would be done again).
      if (storeGate.down) return park(job, token);
      // One directory for the whole job, even if a reload swaps it meanwhile.
      const directory = rt.directory.get();
      // Every case store call: an outage parks the job (above); any other error fails it as usual.
      const store = <T>(call: () => Promise<T>): Promise<T> => parkedIfStoreOut(storeGate, call, () => park(job, token));
      // What agents taught the desk about this sender's reports, as it stands now.
      const learned = await store(() => learnedRulesFor(cases.pool, reportSource(message)));
      const verdict = await triageMessage(message, directory, settings, dns, pool.analyse, learned);
      const result = await handleMessage({ ...deps, store }, { message, key, receivedAt, rawGz: raw ? Buffer.from(raw, 'base64') : undefined, jobId: job.id }, verdict, directory);
      // Stored with the report (or not a complaint): the raw copy need not wait in Redis with the finished job.
      if (raw) await job.updateData({ ...job.data, raw: undefined }).catch((err: unknown) => logger.debug({ err, job: job.id }, 'could not drop the raw copy from a finished job'));
      return result;
    },
    { connection: workerRedis, prefix, concurrency: config.workers.triageConcurrency, ...workerLockOptions(config.jobs) },
  );
  logWorkerFailures(worker, logger, 'triage', rt.events);
  // Mails and complaints counted, stages timed, in Redis for /metrics.
  const counted = countOpsEvents(rt.events, redis, prefix, logger);

  const sweeper = startRetentionSweep(cases, { everySec: config.cases.retention.sweepIntervalSec, reporterDataDays: config.cases.retention.reporterDataDays, logger });
  // SLA clocks: checked by every triage process, alerted once across them;
  // alerts and escalations leave through the alerts worker every triage process runs too.
  const sla = config.sla.enabled ? startSlaScanner({ config, redis, pool: cases.pool, queues, logger, events: rt.events }) : null;
  const alerts = await startAlertsWorker(rt, cases);
  // The stored deadlines the board and the API sort by (src/ops/sla-deadlines.ts).
  const deadlines = startDeadlineRefresher(cases.pool, config.sla, Math.min(config.sla.scanIntervalMs, 2000), logger);

  return {
    async close() {
      sweeper.close();
      deadlines.close();
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
