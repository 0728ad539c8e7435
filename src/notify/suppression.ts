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

  /** Why each suppressed address among these is suppressed (lower case), in one round trip. */
  async reasons(addresses: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!addresses.length) return out;
    const raws = await this.redis.mget(...addresses.map((a) => this.key(a)));
    raws.forEach((raw, i) => raw && out.set(addresses[i]!.toLowerCase(), (JSON.parse(raw) as { reason: string }).reason));
    return out;
  }
}
