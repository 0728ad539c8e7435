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

  async wasSent(id: string): Promise<boolean> {
    return (await this.redis.exists(this.key(id))) === 1;
  }

  /** Records the outcome of a send: "sent", or "rejected" for a permanent failure. */
  async record(id: string, outcome: 'sent' | 'rejected'): Promise<void> {
    await this.redis.set(this.key(id), outcome, 'EX', this.ttlSec);
  }
}
