import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Queues } from '../queue/queues.ts';

export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export interface QueueState {
  name: string;
  counts: Record<(typeof JOB_STATES)[number], number>;
  /** Age of the oldest job waiting to be processed (waiting or prioritized), seconds; 0 when none. */
  oldestWaitingSec: number;
}

export interface DeskState {
  queues: QueueState[];
  /** Open cases by status and priority. */
  cases: Array<{ status: string; priority: string; n: number }>;
  deadLetters: number;
  /** When a poller last looked at the mailbox (ms since the epoch), or null if none ever did. */
  pollerLastCheck: number | null;
  /** Redis memory in use and its limit (0: no limit). */
  redisMemory: { used: number; max: number };
}

/** The Redis key the poller stamps after each look at the mailbox. */
export const pollerCheckKey = (prefix: string): string => `${prefix}:poller:last-check`;

async function queueState(q: Queue, now: number): Promise<QueueState> {
  const counts = (await q.getJobCounts(...JOB_STATES)) as QueueState['counts'];
  const [oldest] = await q.getJobs(['wait', 'prioritized'], 0, 0, true);
  return { name: q.name, counts, oldestWaitingSec: oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0 };
}

/** What ops watch, read from Redis and PostgreSQL at the moment of asking (nothing cached, nothing kept in memory). */
export async function deskState(queues: Queues, pool: pg.Pool, redis: Redis, prefix: string, now = Date.now()): Promise<DeskState> {
  const [triage, notify, dead, cases, lastCheck, memory] = await Promise.all([
    queueState(queues.triage, now),
    queueState(queues.notify, now),
    queueState(queues.deadLetter, now),
    pool.query<{ status: string; priority: string; n: number }>(`SELECT status, priority, count(*)::int AS n FROM cases WHERE closed_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`),
    redis.get(pollerCheckKey(prefix)),
    redis.info('memory'),
  ]);
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(memory)?.[1] ?? 0);
  return {
    queues: [triage, notify, dead],
    cases: cases.rows,
    deadLetters: dead.counts.waiting + dead.counts.delayed + dead.counts.prioritized,
    pollerLastCheck: lastCheck ? Number(lastCheck) : null,
    redisMemory: { used: field('used_memory'), max: field('maxmemory') },
  };
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/** Can this process do its work: Redis and PostgreSQL answer, each within `timeoutMs`. */
export async function readiness(redis: Redis, pool: pg.Pool, timeoutMs = 2000): Promise<Readiness> {
  const within = async (name: string, probe: () => Promise<unknown>): Promise<[string, { ok: boolean; error?: string }]> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
      return [name, { ok: true }];
    } catch (err) {
      return [name, { ok: false, error: (err as Error).message.slice(0, 200) }];
    } finally {
      clearTimeout(timer);
    }
  };
  const checks = Object.fromEntries(await Promise.all([within('redis', () => redis.ping()), within('postgres', () => pool.query('SELECT 1'))]));
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
