import { Redis } from 'ioredis';

export interface RedisOptions {
  url: string;
  /** Workers block on Redis: they must wait through outages instead of failing commands. */
  role: 'worker' | 'producer' | 'client';
  name?: string;
  /** Batch commands of one tick into one write (default: all but workers). Off where a command must leave at once. */
  pipelined?: boolean;
}

/** Opens a Redis connection for BullMQ or our own keys. The caller owns it and must quit() it. */
export function createRedis(opts: RedisOptions): Redis {
  return new Redis(opts.url, {
    connectionName: opts.name ? `abuse-desk:${opts.name}` : 'abuse-desk',
    // BullMQ requires null for blocking worker connections; producers fail fast
    // so the poller can leave the messages in INBOX and try again.
    maxRetriesPerRequest: opts.role === 'producer' ? 2 : null,
    enableReadyCheck: true,
    // Batches commands issued in the same tick into one write; not for the
    // blocking connection, where BullMQ waits on BZPOPMIN.
    enableAutoPipelining: opts.pipelined ?? opts.role !== 'worker',
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 8), 10_000),
  });
}
