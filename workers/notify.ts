import { Worker } from 'bullmq';
import { composeMail, senderAddress } from '../src/notify/compose.ts';
import { buildRaw } from '../src/notify/mime.ts';
import { classifyDeliveryError } from '../src/notify/delivery-error.ts';
import { SentLedger } from '../src/notify/sent-ledger.ts';
import { createSmtpSender } from '../src/notify/smtp-sender.ts';
import { createRedis } from '../src/queue/connection.ts';
import { QUEUES } from '../src/queue/names.ts';
import { logWorkerFailures } from '../src/queue/worker-events.ts';
import type { NotifyJob } from '../src/queue/payloads.ts';
import { scrubbed } from '../src/log.ts';
import type { Runtime } from '../src/runtime.ts';

/** Some mails of a case could not be sent yet; the job is retried and skips what went out. */
class TemporaryDeliveryError extends Error {
  override name = 'TemporaryDeliveryError';
}

/**
 * Notify worker: renders each mail of a case (pure) and sends it. The ledger
 * is checked before and written right after each send, so a retry or a
 * re-queued job never mails anyone twice. A permanent SMTP refusal (5xx) is
 * recorded and not retried; a temporary one retries the job with backoff.
 */
export function startNotifyWorker(rt: Runtime): { close(): Promise<void> } {
  const { config, logger, templates } = rt;
  const prefix = config.redis.prefix;
  const redis = createRedis({ url: config.redis.url, role: 'client', name: 'notify' });
  const workerRedis = createRedis({ url: config.redis.url, role: 'worker', name: 'notify-worker' });
  const ledger = new SentLedger(redis, prefix, config.jobs.sentLedgerTtlSec);
  const sender = createSmtpSender(config.smtp);
  const compose = { deskName: config.desk.name, from: config.desk.from };
  const envelopeFrom = senderAddress(config.desk.from);

  const worker = new Worker<NotifyJob>(
    QUEUES.notify,
    async (job) => {
      const { caseRef, mails } = job.data;
      let sent = 0;
      let temporary = 0;
      const done = await ledger.done(mails.map((m) => m.id));
      for (const intent of mails) {
        if (done.has(intent.id)) continue;
        const mail = composeMail(intent, templates, compose);
        try {
          await sender.send({ from: envelopeFrom, to: [mail.to] }, buildRaw(mail));
          await ledger.record(intent.id, 'sent');
          sent++;
          logger.info({ caseRef, mail: intent.id, kind: intent.kind }, 'mail sent');
        } catch (err) {
          if (classifyDeliveryError(err) === 'permanent') {
            await ledger.record(intent.id, 'rejected');
            logger.error({ caseRef, mail: intent.id, kind: intent.kind, code: (err as { responseCode?: number }).responseCode, err: scrubbed(err) }, 'mail refused permanently; not retried');
          } else {
            temporary++;
            logger.warn({ caseRef, mail: intent.id, kind: intent.kind, code: (err as { responseCode?: number }).responseCode, err: scrubbed(err) }, 'mail not sent yet; will retry');
          }
        }
      }
      if (temporary) throw new TemporaryDeliveryError(`${temporary} of ${mails.length} mails of ${caseRef} not sent yet`);
      return { sent };
    },
    { connection: workerRedis, prefix, concurrency: config.workers.notifyConcurrency },
  );
  logWorkerFailures(worker, logger, 'notify');

  return {
    async close() {
      await worker.close();
      sender.close();
      await Promise.all([workerRedis.quit(), redis.quit()]).catch(() => undefined);
    },
  };
}
