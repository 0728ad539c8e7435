import { Resolver } from 'node:dns/promises';
import type { Config } from '../config/schema.ts';

/** What a host name resolved to, and when; `error` when the lookup failed (not when the name has no address). */
export interface Resolution {
  addresses: string[];
  at: string;
  error?: string;
}

const NO_ADDRESS = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

/**
 * A and AAAA lookups with a cache (answers and failures, for cacheTtlSec, at
 * most cacheMaxEntries), one query per name in flight however many jobs ask,
 * and at most `concurrency` names resolving at once.
 */
export class DnsResolver {
  private readonly resolver: Resolver;
  private readonly cache = new Map<string, { value: Resolution; expires: number }>();
  private readonly inFlight = new Map<string, Promise<Resolution>>();
  private readonly queue: Array<() => void> = [];
  private active = 0;

  constructor(
    private readonly cfg: Config['dns'],
    private readonly now: () => number = Date.now,
  ) {
    this.resolver = new Resolver({ timeout: cfg.timeoutMs, tries: 2 });
    if (cfg.servers.length) this.resolver.setServers([...cfg.servers]);
  }

  async resolveAll(hosts: readonly string[]): Promise<Map<string, Resolution>> {
    const unique = [...new Set(hosts)];
    const results = await Promise.all(unique.map((h) => this.resolve(h)));
    return new Map(unique.map((h, i) => [h, results[i]!]));
  }

  resolve(host: string): Promise<Resolution> {
    const cached = this.cache.get(host);
    if (cached && cached.expires > this.now()) return Promise.resolve(cached.value);
    const pending = this.inFlight.get(host);
    if (pending) return pending;
    const p = this.limited(() => this.query(host)).then((value) => {
      this.inFlight.delete(host);
      this.remember(host, value);
      return value;
    });
    this.inFlight.set(host, p);
    return p;
  }

  private async query(host: string): Promise<Resolution> {
    const [v4, v6] = await Promise.allSettled([this.resolver.resolve4(host), this.resolver.resolve6(host)]);
    const addresses: string[] = [];
    const errors: string[] = [];
    for (const r of [v4, v6]) {
      if (r.status === 'fulfilled') addresses.push(...r.value);
      else if (!NO_ADDRESS.has((r.reason as { code?: string }).code ?? '')) errors.push((r.reason as { code?: string }).code ?? String(r.reason));
    }
    const at = new Date(this.now()).toISOString();
    return errors.length && !addresses.length ? { addresses, at, error: [...new Set(errors)].join(', ') } : { addresses, at };
  }

  private remember(host: string, value: Resolution): void {
    if (this.cfg.cacheTtlSec <= 0 || this.cfg.cacheMaxEntries <= 0) return;
    if (this.cache.size >= this.cfg.cacheMaxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(host, { value, expires: this.now() + this.cfg.cacheTtlSec * 1000 });
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.cfg.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  close(): void {
    this.resolver.cancel();
  }
}
