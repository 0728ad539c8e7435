import type { Redis } from 'ioredis';

/**
 * Remembers which mails went out, by their deterministic id, so a retried or
 * re-queued job never mails anyone twice. Outlives job retention on purpose.
 */
export class SentLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSec: number,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:sent:${id}`;
  }

  /** Which of these mails already went out (or were refused for good), in one round trip. */
  async done(ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const values = await this.redis.mget(...ids.map((id) => this.key(id)));
    return new Set(ids.filter((_, i) => values[i] !== null));
  }

  /** Records the outcome of a mail: sent, refused for good by the recipient's server, or held back (cap, duplicate, suppressed). */
  async record(id: string, outcome: 'sent' | 'rejected' | 'held'): Promise<void> {
    await this.redis.set(this.key(id), outcome, 'EX', this.ttlSec);
  }
}
