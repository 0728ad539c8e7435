import { DelayedError, type Job, type Queue } from 'bullmq';

/**
 * Parks a job until `until` (ms since the epoch): BullMQ's delayed state, so
 * no attempt is used up and the job stays visible in its queue. Ends the
 * job's processing by throwing DelayedError, as BullMQ asks.
 */
export async function parkJob(job: Job, token: string | undefined, until: number): Promise<never> {
  await job.moveToDelayed(until, token);
  throw new DelayedError();
}

/** Wakes every job parked in `queue` now (an outage ended): delayed jobs move to waiting at once. */
export function wakeParked(queue: Queue): Promise<void> {
  return queue.promoteJobs();
}
