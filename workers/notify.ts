import { QUEUES } from '../src/queue/names.ts';
import type { Runtime } from '../src/runtime.ts';
import { startMailWorker } from './mail-worker.ts';

/**
 * Notify worker: the mails to reporters and customers (acknowledgements,
 * notices, decisions, statements of reasons), through deliverCase
 * (src/notify/deliver-case.ts), over smtp.maxConnections connections and
 * within smtp.rateLimitPerSec across all notify workers. Escalations and ops
 * alerts have their own queue and worker (workers/alerts.ts).
 */
export function startNotifyWorker(rt: Runtime): Promise<{ close(): Promise<void> }> {
  const { config } = rt;
  return startMailWorker(rt, {
    queue: QUEUES.notify,
    name: 'notify',
    concurrency: config.workers.notifyConcurrency,
    maxConnections: config.smtp.maxConnections,
    rateLimitPerSec: config.smtp.rateLimitPerSec,
  });
}
