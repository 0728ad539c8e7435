import type { BackoffStrategy } from 'bullmq';
import type { Config } from '../config/schema.ts';

/** Retry and retention for every job: exponential backoff, bounded history. */
export function defaultJobOptions(jobs: Config['jobs']) {
  return {
    attempts: jobs.attempts,
    backoff: { type: 'exponential' as const, delay: jobs.backoffMs },
    removeOnComplete: { age: jobs.keepCompleted.ageSec, count: jobs.keepCompleted.count },
    removeOnFail: { age: jobs.keepFailed.ageSec, count: jobs.keepFailed.count },
  };
}

// Notify jobs retry for a duration (delivery.retryForSec), not a count: the
// worker sends what is left to the dead-letter queue once that has passed.
// The attempt count only has to be out of reach.
const UNTIL_DEAD_LETTER = 1_000_000;

/**
 * Options of a notify job: retried with capped backoff until
 * delivery.retryForSec has passed. An urgent one goes to the head of the
 * queue (LIFO), ahead of any backlog.
 */
export function notifyJobOptions(jobId: string, urgent = false) {
  return { jobId, attempts: UNTIL_DEAD_LETTER, backoff: { type: 'delivery' }, ...(urgent ? { lifo: true } : {}) };
}

/** Exponential from jobs.backoffMs, capped at delivery.maxBackoffMs, with ±20% jitter so retries spread out. */
export function deliveryBackoff(config: Readonly<Config>): BackoffStrategy {
  return (attemptsMade) => {
    const base = Math.min(config.delivery.maxBackoffMs, config.jobs.backoffMs * 2 ** Math.min(attemptsMade - 1, 30));
    return Math.round(base * (0.8 + 0.4 * Math.random()));
  };
}

/** Lock and stalled-job settings of every worker (see jobs.* in config/default.yaml for the trade-off). */
export function workerLockOptions(jobs: Config['jobs']) {
  return { lockDuration: jobs.lockDurationMs, stalledInterval: jobs.stalledIntervalMs, maxStalledCount: jobs.maxStalledCount };
}
