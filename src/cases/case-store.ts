import type { Redis } from 'ioredis';
import type { Category, Priority } from '../classify/category.ts';

/** What the desk keeps about a case; no message body. */
export interface CaseRecord {
  ref: string;
  messageKey: string;
  receivedAt: string;
  category: Category;
  priority: Priority;
  automated: boolean;
  status: 'open' | 'escalated' | 'unmatched';
  reporter: string | null;
  targets: Array<{ type: string; value: string; customerId: string | null }>;
  customerIds: string[];
  mails: Array<{ id: string; kind: string }>;
  why: string[];
}

/**
 * Case records in Redis. Writes are idempotent: a case is created once per
 * message key, and a re-run of the same triage leaves it as it was.
 */
export class CaseStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Creates the case if it does not exist; returns false when it already did. */
  async create(record: CaseRecord): Promise<boolean> {
    const created = await this.redis.set(`${this.prefix}:case:${record.ref}`, JSON.stringify(record), 'NX');
    if (created && record.status === 'escalated') {
      await this.redis.zadd(`${this.prefix}:cases:escalated`, Date.parse(record.receivedAt) || Date.now(), record.ref);
    }
    return created === 'OK';
  }

  /** Appends what happened to a case after triage (a mail held back or refused), newest last. */
  async addEvent(ref: string, event: Record<string, string>): Promise<void> {
    await this.redis.rpush(`${this.prefix}:case:${ref}:events`, JSON.stringify({ at: new Date().toISOString(), ...event }));
  }

  async get(ref: string): Promise<CaseRecord | null> {
    const raw = await this.redis.get(`${this.prefix}:case:${ref}`);
    return raw ? (JSON.parse(raw) as CaseRecord) : null;
  }

}
