import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { createRedis } from './connection.ts';
import { dispatchMails } from './dispatch-mails.ts';
import { createQueues } from './queues.ts';

/**
 * Puts every dead letter back on the notify queue, as a new job with a fresh
 * retry window, and removes it from the dead-letter queue. Mails that went
 * out meanwhile are skipped by the sent ledger, so each is sent once.
 * Returns how many cases were re-queued.
 */
export async function retryDeadLetters(config: Readonly<Config>, logger: Logger): Promise<number> {
  const redis = createRedis({ url: config.redis.url, role: 'producer', name: 'retry-dead' });
  const queues = createQueues(config, redis);
  let n = 0;
  try {
    for (;;) {
      const jobs = await queues.deadLetter.getJobs(['waiting', 'delayed'], 0, 99);
      if (!jobs.length) break;
      for (const dead of jobs) {
        const { caseRef, mails } = dead.data;
        await dispatchMails(queues, mails, `notify-${caseRef}-redo-${dead.id}`);
        await dead.remove();
        logger.info({ caseRef, mails: mails.length }, 'dead letter re-queued');
        n++;
      }
    }
  } finally {
    await queues.close();
    await redis.quit().catch(() => undefined);
  }
  return n;
}

/** Re-queues every failed triage and notify job; returns how many per queue. */
export async function retryFailedJobs(config: Readonly<Config>, logger: Logger): Promise<Record<string, number>> {
  const redis = createRedis({ url: config.redis.url, role: 'producer', name: 'retry-failed' });
  const queues = createQueues(config, redis);
  const out: Record<string, number> = {};
  try {
    for (const queue of [queues.triage, queues.notify]) {
      const failed = await queue.getFailedCount();
      if (failed) await queue.retryJobs({ state: 'failed', count: 1000 });
      out[queue.name] = failed;
      if (failed) logger.info({ queue: queue.name, jobs: failed }, 'failed jobs re-queued');
    }
  } finally {
    await queues.close();
    await redis.quit().catch(() => undefined);
  }
  return out;
}
