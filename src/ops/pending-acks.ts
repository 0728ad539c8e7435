import type { Redis } from 'ioredis';

/** The acknowledgement clock's reading: complaints not yet acknowledged, by age. */
export interface AckState {
  /** Complaints whose acknowledgement is overdue (older than sla.acknowledgeSec). */
  breached: number;
  /** Complaints past sla.warnAt of it, not yet overdue. */
  warned: number;
  /** When the oldest complaint not yet acknowledged reached the mailbox (ms), or null when none waits. */
  oldestAt: number | null;
  /** How many wait in all. */
  waiting: number;
}

/** Entries older than this are dropped (a message removed from the queues by hand would otherwise breach for ever). */
const FORGET_AFTER_MS = 30 * 86_400_000;

/**
 * The acknowledgement clock, kept in Redis: every message the poller queues
 * is entered with the time it reached the mailbox (IMAP INTERNALDATE), and
 * leaves once its acknowledgement was accepted by the relay, or once it is
 * known none is owed (not a complaint, a machine report, held by a cap or a
 * suppression, refused for good). So a complaint whose acknowledgement is
 * waiting, delayed, retried, parked in an outage or dead-lettered keeps its
 * clock running from its arrival, and the clock counts complaints, not
 * queues. One sorted set: every question is a range count.
 */
export class PendingAcks {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:sla:pending-acks`;
  }

  /** Messages queued for triage (NX: a message read twice keeps its first arrival). */
  async expect(entries: ReadonlyArray<{ key: string; receivedAt: string }>): Promise<void> {
    if (!entries.length) return;
    const args = entries.flatMap((e) => [String(Date.parse(e.receivedAt) || Date.now()), e.key]);
    await this.redis.call('ZADD', this.key, 'NX', ...args);
  }

  /** Messages acknowledged, or owed no acknowledgement. */
  async settle(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.redis.zrem(this.key, ...keys);
  }

  /** The clock now: counts by age, and the oldest waiting. */
  async read(acknowledgeSec: number, warnAt: number, now = Date.now()): Promise<AckState> {
    const due = now - acknowledgeSec * 1000;
    const warn = now - acknowledgeSec * warnAt * 1000;
    const p = this.redis.pipeline();
    p.zremrangebyscore(this.key, '-inf', String(now - FORGET_AFTER_MS));
    p.zcount(this.key, '-inf', String(due));
    p.zcount(this.key, `(${due}`, String(warn));
    p.zrange(this.key, '0', '0', 'WITHSCORES');
    p.zcard(this.key);
    const res = (await p.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
    const oldest = res[3]![1] as string[];
    return { breached: Number(res[1]![1]), warned: Number(res[2]![1]), oldestAt: oldest.length ? Number(oldest[1]) : null, waiting: Number(res[4]![1]) };
  }
}
