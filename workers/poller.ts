import { isTrusted } from '../src/text/trusted-address.ts';
import { pollerCheckKey } from '../src/ops/desk-state.ts';
import { PendingAcks } from '../src/ops/pending-acks.ts';
import { MailboxPoller, type BatchStats } from '../src/mailbox/poller.ts';
import { createRedis } from '../src/queue/connection.ts';
import { createQueues } from '../src/queue/queues.ts';
import type { Runtime } from '../src/runtime.ts';

/** Poller process: IMAP inbox → triage jobs (addBulk), then MOVE to Processed / Failed. */
export function startPoller(rt: Runtime, onBatch?: (s: BatchStats) => void): { close(): Promise<void> } {
  const { config, logger } = rt;
  const redis = createRedis({ url: config.redis.url, role: 'producer', name: 'poller' });
  const queues = createQueues(config, redis);
  const pendingAcks = new PendingAcks(redis, config.redis.prefix);
  const poller = new MailboxPoller({
    imap: config.imap,
    limits: config.limits,
    logger,
    onBatch,
    // Ops read when the mailbox was last checked (docs/ops.md); a failed write only delays it.
    onCheck: () => void redis.set(pollerCheckKey(config.redis.prefix), String(Date.now())).catch(() => undefined),
    async enqueue(jobs) {
      // Trusted reporters' complaints jump the queue (LIFO): their lane, at no cost to the others.
      const trusted = (data: (typeof jobs)[number]): boolean => {
        const from = data.message.replyTo ?? data.message.from;
        return !!from && isTrusted(from.address, config.cases.trustedReporters);
      };
      // The acknowledgement clock starts at each message's arrival, before its job exists (src/ops/pending-acks.ts).
      await pendingAcks.expect(jobs.map((j) => ({ key: j.key, receivedAt: j.receivedAt })));
      await queues.triage.addBulk(jobs.map((data) => ({ name: 'complaint', data, opts: { jobId: data.key, ...(trusted(data) ? { lifo: true } : {}) } })));
    },
  });
  poller.start();
  return {
    async close() {
      await poller.stop();
      await queues.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
