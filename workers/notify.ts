import { Worker } from 'bullmq';
import { isStoreUnavailable } from '../src/cases/store-errors.ts';
import { openCaseStore } from '../src/cases/case-db.ts';
import { deskSecret, REPLY_ADDRESS_SECRET } from '../src/cases/desk-secrets.ts';
import { senderAddress } from '../src/notify/compose.ts';
import { deliverCase, type DeliveryDeps } from '../src/notify/deliver-case.ts';
import { SendCaps } from '../src/notify/send-caps.ts';
import { SentLedger } from '../src/notify/sent-ledger.ts';
import { createSmtpSender } from '../src/notify/smtp-sender.ts';
import { SuppressionList } from '../src/notify/suppression.ts';
import { createRedis } from '../src/queue/connection.ts';
import { OutageGate } from '../src/queue/outage-gate.ts';
import { parkJob, wakeParked } from '../src/queue/park-job.ts';
import { countOpsEvents } from '../src/ops/desk-counters.ts';
import { deliveryBackoff, workerLockOptions } from '../src/queue/job-options.ts';
import { QUEUES } from '../src/queue/names.ts';
import type { NotifyJob } from '../src/queue/payloads.ts';
import { createQueues } from '../src/queue/queues.ts';
import { logWorkerFailures } from '../src/queue/worker-events.ts';
import type { Runtime } from '../src/runtime.ts';

/** Some mails of a case could not be sent yet; the job is retried and skips what went out. */
class TemporaryDeliveryError extends Error {
  override name = 'TemporaryDeliveryError';
}

/**
 * Notify worker: wires deliverCase (src/notify/deliver-case.ts) to the
 * notify queue. Mails not sent yet are retried with capped backoff for
 * delivery.retryForSec from the job's creation; then they go to the
 * dead-letter queue, with an error log and an ops event.
 */
export async function startNotifyWorker(rt: Runtime): Promise<{ close(): Promise<void> }> {
  const { config, logger, templates, events } = rt;
  const prefix = config.redis.prefix;
  const redis = createRedis({ url: config.redis.url, role: 'client', name: 'notify' });
  const workerRedis = createRedis({ url: config.redis.url, role: 'worker', name: 'notify-worker' });
  // The ledger's own connection, not pipelined: a mail's "handed over" mark leaves at once (see SentLedger).
  const ledgerRedis = createRedis({ url: config.redis.url, role: 'client', name: 'notify-ledger', pipelined: false });
  const queues = createQueues(config, redis);
  const cases = await openCaseStore(config);
  const deps: DeliveryDeps = {
    ledger: new SentLedger(ledgerRedis, prefix, config.jobs.sentLedgerTtlSec),
    sender: createSmtpSender(config.smtp),
    caps: new SendCaps(redis, prefix, config.caps),
    suppression: new SuppressionList(redis, prefix, config.caps.suppressForSec),
    cases,
    templates,
    compose: { deskName: config.desk.name, from: config.desk.from, replyToCase: config.desk.replyToCase, replySecret: await deskSecret(cases.pool, REPLY_ADDRESS_SECRET) },
    envelopeFrom: senderAddress(config.desk.from),
    logger,
    events,
  };
  const retryForMs = config.delivery.retryForSec * 1000;
  const parkMs = config.jobs.outage.parkSec * 1000;
  const gate = (what: string, service: 'store' | 'relay', probe: () => Promise<void>): OutageGate =>
    new OutageGate({
      what,
      probe,
      initialMs: config.jobs.outage.probeInitialMs,
      maxMs: config.jobs.outage.probeMaxMs,
      logger,
      onDown: (err) => events.emit('outage', { service, state: 'down', code: String((err as { code?: string }).code ?? (err as { responseCode?: number }).responseCode ?? '') || undefined }),
      onUp: async (outageMs) => {
        events.emit('outage', { service, state: 'up', outageMs });
        await wakeParked(queues.notify);
      },
    });
  // One probe per process while the relay or the case store is out; the
  // jobs that need them are parked meanwhile and resume when the probe succeeds.
  const relayGate = gate('SMTP relay', 'relay', () => deps.sender.probe());
  const storeGate = gate('case store', 'store', async () => void (await deps.cases.pool.query('SELECT 1')));

  const worker = new Worker<NotifyJob>(
    QUEUES.notify,
    async (job, token) => {
      const { caseRef, mails } = job.data;
      const deadline = job.timestamp + retryForMs;
      // Parked for parkSec; for the relay never past the end of its retry window (then it is dead-lettered below).
      const park = (g: OutageGate): Promise<never> => {
        g.parkedOne();
        const until = Date.now() + parkMs;
        return parkJob(job, token, g === relayGate ? Math.min(until, deadline) : until);
      };
      const expired = (): boolean => Date.now() >= deadline;
      if (storeGate.down) return park(storeGate);
      if (relayGate.down && !expired()) return park(relayGate);
      let out;
      try {
        out = await deliverCase(caseRef, mails, deps);
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        storeGate.report(err);
        return park(storeGate);
      }
      const summary = { sent: out.sent, refused: out.refused, held: out.held };
      if (!out.pending.length) return summary;
      const why = out.relay ? `our relay failed at ${out.relay.stage}${out.relay.code ? ` (${out.relay.code})` : ''}` : "the recipient's server kept saying later";
      if (!expired()) {
        if (out.relay) {
          relayGate.report(out.relayError);
          return park(relayGate);
        }
        throw new TemporaryDeliveryError(`${out.pending.length} of ${mails.length} mails of ${caseRef} not sent yet: ${why}`);
      }
      const reason = `not sent within delivery.retryForSec (${config.delivery.retryForSec} s): ${why}`;
      await queues.deadLetter.add('dead', { caseRef, mails: out.pending, reason, queuedAt: new Date(job.timestamp).toISOString() }, { jobId: `dead-${caseRef}-${job.id}` });
      logger.error({ caseRef, mails: out.pending.length, reason }, 'mails moved to the dead-letter queue; `abuse-desk mail retry-dead` sends them again');
      events.emit('dead-letter', { caseRef, mails: out.pending.length, kinds: out.pending.map((m) => m.kind), reason });
      return { ...summary, deadLettered: out.pending.length };
    },
    {
      connection: workerRedis,
      prefix,
      concurrency: config.workers.notifyConcurrency,
      ...workerLockOptions(config.jobs),
      settings: { backoffStrategy: deliveryBackoff(config) },
      // One limit for all notify workers, kept in Redis (smtp.rateLimitPerSec jobs per second).
      ...(config.smtp.rateLimitPerSec > 0 ? { limiter: { max: config.smtp.rateLimitPerSec, duration: 1000 } } : {}),
    },
  );
  logWorkerFailures(worker, logger, 'notify', events);
  // Mails and complaints counted, stages timed, in Redis for /metrics.
  const counted = countOpsEvents(rt.events, redis, prefix, logger);

  return {
    async close() {
      relayGate.close();
      storeGate.close();
      await worker.close();
      deps.sender.close();
      await counted.close();
      await deps.cases.end();
      await queues.close();
      await Promise.all([workerRedis.quit(), redis.quit(), ledgerRedis.quit()]).catch(() => undefined);
    },
  };
}
