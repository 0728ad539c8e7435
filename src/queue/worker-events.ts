import type { Worker } from 'bullmq';
import { scrubbed, type Logger } from '../log.ts';

/** Logs a worker's failures: warn while BullMQ will retry, error on the last attempt. */
export function logWorkerFailures(worker: Worker, logger: Logger, name: string): void {
  worker.on('failed', (job, err) => {
    const last = !job || job.attemptsMade >= (job.opts.attempts ?? 1);
    logger[last ? 'error' : 'warn']({ job: job?.id, attempt: job?.attemptsMade, err: scrubbed(err) }, last ? `${name} failed for good` : `${name} failed; will retry`);
  });
  worker.on('error', (err) => logger.error({ err: scrubbed(err) }, `${name} worker error`));
}
