import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.ts';
import { defaultJobOptions } from './job-options.ts';
import { QUEUES } from './names.ts';
import type { AlertJob, DeadLetterJob, NotifyJob, TriageJob } from './payloads.ts';

export interface Queues {
  triage: Queue<TriageJob>;
  notify: Queue<NotifyJob>;
  alerts: Queue<AlertJob>;
  deadLetter: Queue<DeadLetterJob>;
  close(): Promise<void>;
}

/** Producers for every queue, sharing one connection that the caller owns. */
export function createQueues(config: Readonly<Config>, connection: Redis): Queues {
  const opts = { connection, prefix: config.redis.prefix, defaultJobOptions: defaultJobOptions(config.jobs) };
  const triage = new Queue<TriageJob>(QUEUES.triage, opts);
  const notify = new Queue<NotifyJob>(QUEUES.notify, opts);
  const alerts = new Queue<AlertJob>(QUEUES.alerts, opts);
  // Dead letters are kept until ops act on them: no retention limit.
  const deadLetter = new Queue<DeadLetterJob>(QUEUES.deadLetter, { connection, prefix: config.redis.prefix });
  return {
    triage,
    notify,
    alerts,
    deadLetter,
    async close() {
      await Promise.all([triage.close(), notify.close(), alerts.close(), deadLetter.close()]);
    },
  };
}
