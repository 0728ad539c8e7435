import type { Redis } from 'ioredis';

/**
 * Addresses that bounced our mail: nothing automatic goes to them until the
 * entry expires. Fed by bounces that name one of our Message-IDs; read by
 * every notify worker before sending.
 */
export class SuppressionList {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSec: number,
  ) {}

  private key(address: string): string {
    return `${this.prefix}:suppress:${address.toLowerCase()}`;
  }

  async add(address: string, reason: string): Promise<void> {
    await this.redis.set(this.key(address), JSON.stringify({ at: new Date().toISOString(), reason }), 'EX', this.ttlSec);
  }

  /** Why the address is suppressed, or null. */
  async reason(address: string): Promise<string | null> {
    const raw = await this.redis.get(this.key(address));
    return raw ? (JSON.parse(raw) as { reason: string }).reason : null;
  }
}
