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
