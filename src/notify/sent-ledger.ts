import type { Redis } from 'ioredis';

/**
 * What the ledger knows of a mail: sent, refused for good by the recipient's
 * server, held back (cap, suppressed), `handed`: its whole message,
 * end-of-data included, reached the relay's connection, and the relay's
 * answer has not been seen (yet, or ever, if the process died waiting), or
 * `accepted`: the relay took it and the line in its case's history is still
 * to be written (the case store may be out); either way it is never sent again.
 */
export type MailOutcome = 'sent' | 'rejected' | 'held' | 'handed' | 'accepted';

/**
 * Remembers which mails went out, by their deterministic id, so a retried or
 * re-queued job never mails anyone twice. Outlives job retention on purpose.
 *
 * Give it a connection without auto-pipelining: `handedOver` must reach
 * Redis's socket in the same tick as the end of data reaches the relay's.
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

  /** What is known of each of these mails (those with nothing recorded are absent), in one round trip. */
  async outcomes(ids: readonly string[]): Promise<Map<string, MailOutcome>> {
    if (!ids.length) return new Map();
    const values = await this.redis.mget(...ids.map((id) => this.key(id)));
    const out = new Map<string, MailOutcome>();
    ids.forEach((id, i) => values[i] !== null && out.set(id, values[i] as MailOutcome));
    return out;
  }

  /** Records the outcome of a mail: sent, refused for good by the recipient's server, or held back (cap, duplicate, suppressed). */
  async record(id: string, outcome: Exclude<MailOutcome, 'handed'>): Promise<void> {
    await this.redis.set(this.key(id), outcome, 'EX', this.ttlSec);
  }

  /**
   * The relay's connection has the whole message. Written at once, without
   * waiting: a process killed after this line reached Redis is known to have
   * delivered the mail to the relay, and it is not sent again. NX: never over
   * an outcome. A failed write only loses that knowledge (the mail would be
   * sent again after a crash, as before).
   */
  handedOver(id: string): void {
    this.redis.set(this.key(id), 'handed', 'EX', this.ttlSec, 'NX').catch(() => undefined);
  }

  /** The relay answered "later" or failed after taking the message: it is to be sent again. */
  async retract(id: string): Promise<void> {
    await this.redis.eval(`if redis.call('GET', KEYS[1]) == 'handed' then return redis.call('DEL', KEYS[1]) end return 0`, 1, this.key(id));
  }
}
