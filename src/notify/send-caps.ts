import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.ts';
import { domainOf } from '../text/email-address.ts';

export interface CapWindow {
  max: number;
  windowSec: number;
}

export type CapVerdict = { allowed: true } | { allowed: false; reason: string };

// Sliding windows, one sorted set per (scope, window): members are mail ids
// scored by send time. All windows of a mail are checked and counted in one
// script, so concurrent workers on any host see one count. A mail already
// counted (a retry of the same mail) passes without counting twice.
// KEYS: the window keys. ARGV: now (ms), mail id, then max and window (ms) per key.
const SLIDING_WINDOW = `
local now = tonumber(ARGV[1])
local id = ARGV[2]
for i, key in ipairs(KEYS) do
  if redis.call('ZSCORE', key, id) then return 0 end
end
for i, key in ipairs(KEYS) do
  local max = tonumber(ARGV[1 + i * 2])
  local window = tonumber(ARGV[2 + i * 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= max then return i end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, id)
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + i * 2]))
end
return 0
`;

// KEYS: one per (customer, target, category). ARGV: mail id, ttl (s).
// Returns 1 when at least one target had no notice in the window (or the
// mail holding it is this one, retried).

/**
 * Limits on automatic mail, shared through Redis by every notify worker, so
 * nobody can use the desk to mail a third party: forged complaints in the
 * name of one domain get at most its cap of acknowledgements, and a customer
 * gets one notice per target and category per window however many reports
 * arrive. (Counts are per mail id: a retried mail is not counted twice.)
 */
export class SendCaps {
  private readonly exempt: ReadonlySet<string>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly caps: Config['caps'],
  ) {
    this.exempt = new Set(caps.exemptDomains);
  }

  /**
   * Whether an automatic mail to this address may go now; counts it if so.
   * The domain's cap applies too, except for caps.exemptDomains (large mail
   * providers, shared by thousands of real reporters).
   */
  async allow(mailId: string, to: string): Promise<CapVerdict> {
    const address = to.toLowerCase();
    const domain = domainOf(address);
    const scopes = [
      ...this.caps.perAddress.map((w) => ({ w, key: `${this.prefix}:cap:addr:${w.windowSec}:${address}`, what: `address (${w.max} in ${w.windowSec} s)` })),
      ...(this.exempt.has(domain) ? [] : this.caps.perDomain).map((w) => ({ w, key: `${this.prefix}:cap:domain:${w.windowSec}:${domain}`, what: `domain (${w.max} in ${w.windowSec} s)` })),
    ];
    if (!scopes.length) return { allowed: true };
    const argv = [String(Date.now()), mailId, ...scopes.flatMap((s) => [String(s.w.max), String(s.w.windowSec * 1000)])];
    const hit = (await this.redis.eval(SLIDING_WINDOW, scopes.length, ...scopes.map((s) => s.key), ...argv)) as number;
    return hit === 0 ? { allowed: true } : { allowed: false, reason: `over the cap per recipient ${scopes[hit - 1]!.what} (caps)` };
  }
}
