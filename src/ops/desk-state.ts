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
  /** Whether a poller checked the mailbox within pollerStaleSec: its IMAP session works. */
  pollerConnected: boolean;
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

/** The triage, notify, alerts and dead-letter queues' counts and oldest waiting job. */
export function queueStates(queues: Queues, now = Date.now()): Promise<[QueueState, QueueState, QueueState, QueueState]> {
  return Promise.all([queueState(queues.triage, now), queueState(queues.notify, now), queueState(queues.alerts, now), queueState(queues.deadLetter, now)]);
}

/** What ops watch, read from Redis and PostgreSQL at the moment of asking (nothing cached, nothing kept in memory). */
export async function deskState(queues: Queues, pool: pg.Pool, redis: Redis, prefix: string, now = Date.now(), pollerStaleSec = 120): Promise<DeskState> {
  const [[triage, notify, alerts, dead], cases, lastCheck, memory] = await Promise.all([
    queueStates(queues, now),
    pool.query<{ status: string; priority: string; n: number }>(`SELECT status, priority, count(*)::int AS n FROM cases WHERE closed_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`),
    redis.get(pollerCheckKey(prefix)),
    redis.info('memory'),
  ]);
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(memory)?.[1] ?? 0);
  return {
    queues: [triage, notify, alerts, dead],
    cases: cases.rows,
    deadLetters: dead.counts.waiting + dead.counts.delayed + dead.counts.prioritized,
    pollerLastCheck: lastCheck ? Number(lastCheck) : null,
    pollerConnected: !!lastCheck && now - Number(lastCheck) <= pollerStaleSec * 1000,
    redisMemory: { used: field('used_memory'), max: field('maxmemory') },
  };
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/** What /readyz checks beyond Redis and PostgreSQL. */
export interface DeskProbes {
  /** The poller's heartbeat: its IMAP session checked the mailbox within staleSec. */
  imap?: { prefix: string; staleSec: number };
  /** The relay answers (and accepts our login); probed at most once per cacheMs. */
  smtp?: () => Promise<void>;
}

/**
 * Can the desk do its work: Redis and PostgreSQL answer, each within
 * `timeoutMs`; with probes, a poller's IMAP session is alive and the SMTP
 * relay answers.
 */
export async function readiness(redis: Redis, pool: pg.Pool, probes: DeskProbes = {}, timeoutMs = 2000): Promise<Readiness> {
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
  const checks: Array<Promise<[string, { ok: boolean; error?: string }]>> = [within('redis', () => redis.ping()), within('postgres', () => pool.query('SELECT 1'))];
  const { imap, smtp } = probes;
  if (imap) {
    checks.push(
      within('imap', async () => {
        const last = await redis.get(pollerCheckKey(imap.prefix));
        // No heartbeat at all (a new desk, or a Redis that restarted empty) is not yet a failure:
        // `status` and abuse_desk_poller_connected say so; a heartbeat that stopped is.
        if (!last) return;
        const age = (Date.now() - Number(last)) / 1000;
        if (age > imap.staleSec) throw new Error(`the poller last checked the mailbox ${Math.round(age)} s ago (ops.pollerStaleSec ${imap.staleSec})`);
      }),
    );
  }
  if (smtp) checks.push(within('smtp', smtp));
  const done = Object.fromEntries(await Promise.all(checks));
  return { ready: Object.values(done).every((c) => c.ok), checks: done };
}

/** A probe that runs at most once per `cacheMs`, sharing its answer (so /readyz cannot hammer the relay). */
export function cachedProbe(probe: () => Promise<void>, cacheMs: number): () => Promise<void> {
  let last: { at: number; result: Promise<void> } | null = null;
  return () => {
    if (!last || Date.now() - last.at > cacheMs) {
      const result = probe();
      result.catch(() => undefined);
      last = { at: Date.now(), result };
    }
    return last.result;
  };
}
