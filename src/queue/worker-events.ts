import type { Worker } from 'bullmq';
import { scrubbed, type Logger } from '../log.ts';
import type { OpsEvents } from '../ops-events.ts';

/**
 * Logs a worker's failures: warn while BullMQ will retry, error when the job
 * failed for good (its last attempt, or stalled more than jobs.maxStalledCount
 * times), which is also raised to ops. A failed job is kept; `abuse-desk jobs
 * retry-failed` puts it back.
 */
export function logWorkerFailures(worker: Worker, logger: Logger, name: string, events: OpsEvents): void {
  worker.on('failed', (job, err) => {
    const stalled = /stalled more than allowable limit/i.test(err?.message ?? '');
    const last = stalled || !job || job.attemptsMade >= (job.opts.attempts ?? 1);
    const fields = { job: job?.id, attempt: job?.attemptsMade, stalled, err: scrubbed(err) };
    if (!last) return logger.warn(fields, `${name} failed; will retry`);
    logger.error(fields, `${name} failed for good; kept for \`abuse-desk jobs retry-failed\``);
    events.emit('job-failed', { queue: name, jobId: job?.id, reason: scrubbed(err) });
  });
  worker.on('error', (err) => logger.error({ err: scrubbed(err) }, `${name} worker error`));
}
