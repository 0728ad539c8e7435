import { Worker, type Job } from 'bullmq';
import { openCaseStore } from '../src/cases/case-db.ts';
import { storeWaitOf, untilStoreAnswers } from '../src/cases/wait-for-store.ts';
import type { CaseStore } from '../src/cases/case-store.ts';
import { deskSecret, REPLY_ADDRESS_SECRET } from '../src/cases/desk-secrets.ts';
import type { Config } from '../src/config/schema.ts';
import { senderAddress } from '../src/notify/compose.ts';
import { deliverCase, threadMail, type DeliveryDeps } from '../src/notify/deliver-case.ts';
import { composeMail } from '../src/notify/compose.ts';
import type { MailIntent } from '../src/notify/mail-intent.ts';
import { SendCaps } from '../src/notify/send-caps.ts';
import { SentLedger } from '../src/notify/sent-ledger.ts';
import { createSmtpSender } from '../src/notify/smtp-sender.ts';
import { SuppressionList } from '../src/notify/suppression.ts';
import { countOpsEvents } from '../src/ops/desk-counters.ts';
import { PendingAcks } from '../src/ops/pending-acks.ts';
import { createRedis } from '../src/queue/connection.ts';
import { deliveryBackoff, workerLockOptions } from '../src/queue/job-options.ts';
import type { OutageGate } from '../src/queue/outage-gate.ts';
import { parkJob } from '../src/queue/park-job.ts';
import { parkedIfStoreOut, serviceGate } from '../src/queue/service-gate.ts';
import { dispatchDeadLetter } from '../src/queue/dispatch-mails.ts';
import { afterDelivery, settledAcknowledgements } from '../src/notify/after-delivery.ts';
import { createQueues, type Queues } from '../src/queue/queues.ts';
import { logWorkerFailures } from '../src/queue/worker-events.ts';
import type { Runtime } from '../src/runtime.ts';

/** Some mails of a case could not be sent yet; the job is retried and skips what went out. */
class TemporaryDeliveryError extends Error {
  override name = 'TemporaryDeliveryError';
}

/** What a mail job's processor has at hand: delivery, the gates, the queues. */
export interface MailContext {
  deps: DeliveryDeps;
  queues: Queues;
  config: Readonly<Config>;
  relayGate: OutageGate;
  storeGate: OutageGate;
  /** Parks the job during an outage of the gate's service (the relay's: never past its retry window). */
  park(job: Job, token: string | undefined, gate: OutageGate): Promise<never>;
  /** Sends one case's mails with the notify queue's rules: outages park, "later" retries, dead letters after delivery.retryForSec. */
  deliver(job: Job, token: string | undefined, caseRef: string, mails: MailIntent[]): Promise<Record<string, number>>;
}

export interface MailWorkerOptions {
  /** The queue, and this worker's name in logs and connections. */
  queue: string;
  name: string;
  concurrency: number;
  /** SMTP connections of this worker (the notify workers use smtp.maxConnections; the alerts worker one). */
  maxConnections: number;
  /** One BullMQ limit for all workers of the queue (notify: smtp.rateLimitPerSec). */
  rateLimitPerSec?: number;
  /** The job's processing; by default every job is a case's mails. */
  process?: (ctx: MailContext, job: Job, token: string | undefined) => Promise<unknown>;
  /** A case store the process already has open (the triage worker's), instead of one of its own. */
  cases?: CaseStore;
}

/**
 * A worker that sends mails of cases: the notify worker (customers and
 * reporters) and the alerts worker (escalations and ops alerts, on a queue
 * of their own so they go out while customer mail is stalled). Mails not sent
 * yet are retried with capped backoff for delivery.retryForSec from the
 * job's creation; then they go to the dead-letter queue, with an error log
 * and an ops event. While the relay or the case store is out, one probe per
 * worker watches it and the jobs that need it are parked.
 */
export async function startMailWorker(rt: Runtime, o: MailWorkerOptions): Promise<{ close(): Promise<void> }> {
  const { config, logger, templates, events } = rt;
  const prefix = config.redis.prefix;
  const redis = createRedis({ url: config.redis.url, role: 'client', name: o.name });
  const workerRedis = createRedis({ url: config.redis.url, role: 'worker', name: `${o.name}-worker` });
  // The ledger's own connection, not pipelined: a mail's "handed over" mark leaves at once (see SentLedger).
  const ledgerRedis = createRedis({ url: config.redis.url, role: 'client', name: `${o.name}-ledger`, pipelined: false });
  const queues = createQueues(config, redis);
  const ownCases = !o.cases;
  const storeWait = storeWaitOf(config, logger);
  const cases = o.cases ?? (await untilStoreAnswers(() => openCaseStore(config), storeWait));
  const replySecret = await untilStoreAnswers(() => deskSecret(cases.pool, REPLY_ADDRESS_SECRET), storeWait);
  const pendingAcks = new PendingAcks(redis, prefix);
  const deps: DeliveryDeps = {
    ledger: new SentLedger(ledgerRedis, prefix, config.jobs.sentLedgerTtlSec),
    sender: createSmtpSender({ ...config.smtp, maxConnections: o.maxConnections }),
    caps: new SendCaps(redis, prefix, config.caps),
    suppression: new SuppressionList(redis, prefix, config.caps.suppressForSec),
    cases,
    templates,
    compose: { deskName: config.desk.name, from: config.desk.from, replyToCase: config.desk.replyToCase, replySecret },
    envelopeFrom: senderAddress(config.desk.from),
    logger,
    events,
  };
  const queue = o.queue === queues.alerts.name ? queues.alerts : queues.notify;
  const retryForMs = config.delivery.retryForSec * 1000;
  const parkMs = config.jobs.outage.parkSec * 1000;
  // One probe per worker while the relay or the case store is out; the
  // jobs that need them are parked meanwhile and resume when the probe succeeds.
  const relayGate = serviceGate({ config, logger, events, queue, service: 'relay', what: 'SMTP relay', probe: () => deps.sender.probe() });
  const storeGate = serviceGate({ config, logger, events, queue, service: 'store', what: 'case store', probe: async () => void (await cases.pool.query('SELECT 1')) });

  const ctx: MailContext = {
    deps,
    queues,
    config,
    relayGate,
    storeGate,
    park(job, token, g) {
      g.parkedOne();
      const until = Date.now() + parkMs;
      return parkJob(job, token, g === relayGate ? Math.min(until, job.timestamp + retryForMs) : until);
    },
    async deliver(job, token, caseRef, mails) {
      const expired = (): boolean => Date.now() >= job.timestamp + retryForMs;
      if (storeGate.down) return ctx.park(job, token, storeGate);
      if (relayGate.down && !expired()) return ctx.park(job, token, relayGate);
      const out = await parkedIfStoreOut(storeGate, () => deliverCase(caseRef, mails, deps), () => ctx.park(job, token, storeGate));
      // Acknowledgements that are done with (sent, refused, held): their complaints' clock stops.
      await pendingAcks.settle(settledAcknowledgements(mails, out));
      const summary = { sent: out.sent, refused: out.refused, held: out.held };
      const next = afterDelivery(out, mails, caseRef, expired(), config.delivery.retryForSec);
      if (next.next === 'done') return summary;
      if (next.next === 'wait-for-relay') {
        relayGate.report(out.relayError);
        return ctx.park(job, token, relayGate);
      }
      if (next.next === 'retry') throw new TemporaryDeliveryError(next.message);
      await dispatchDeadLetter(queues, { caseRef, mails: out.pending, reason: next.reason, queuedAt: new Date(job.timestamp).toISOString() }, job.id!);
      // In the case's thread too; a store out now loses only that line (the dead letter itself is in Redis).
      for (const m of out.pending) {
        await cases.recordMail(threadMail(m, composeMail(m, templates, deps.compose), 'dead-lettered', next.reason)).catch((err: unknown) => logger.warn({ err, caseRef, mail: m.id }, 'dead-lettered mail not written to its case thread'));
      }
      logger.error({ caseRef, mails: out.pending.length, reason: next.reason }, 'mails moved to the dead-letter queue; `abuse-desk mail retry-dead` sends them again');
      events.emit('dead-letter', { caseRef, mails: out.pending.length, kinds: out.pending.map((m) => m.kind), reason: next.reason });
      return { ...summary, deadLettered: out.pending.length };
    },
  };

  const worker = new Worker(
    o.queue,
    async (job, token) => (o.process ? o.process(ctx, job, token) : ctx.deliver(job, token, job.data.caseRef, job.data.mails)),
    {
      connection: workerRedis,
      prefix,
      concurrency: o.concurrency,
      ...workerLockOptions(config.jobs),
      settings: { backoffStrategy: deliveryBackoff(config) },
      ...(o.rateLimitPerSec ? { limiter: { max: o.rateLimitPerSec, duration: 1000 } } : {}),
    },
  );
  logWorkerFailures(worker, logger, o.name, events);
  // Mails and complaints counted, stages timed, in Redis for /metrics.
  const counted = countOpsEvents(rt.events, redis, prefix, logger);

  return {
    async close() {
      relayGate.close();
      storeGate.close();
      await worker.close();
      deps.sender.close();
      await counted.close();
      if (ownCases) await deps.cases.end();
      await queues.close();
      await Promise.all([workerRedis.quit(), redis.quit(), ledgerRedis.quit()]).catch(() => undefined);
    },
  };
}
