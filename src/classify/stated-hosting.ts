import type { Indicator } from './indicator.ts';
import { refang } from './refang.ts';
import { canonicalIp, isIpAddress } from '../text/ip-address.ts';

// Right after a stated URL (the rest of it, then): "[192.0.2.1]", "(192.0.2.1)",
// "is 192.0.2.1", "resolves to 192.0.2.1", "hosted at 192.0.2.1".
const BESIDE = /^[^\s\])>"']{0,400}[\s"'>]*(?:[[(]\s*|(?:is|resolves to|resolved to|hosted (?:at|on))\s+)([0-9a-f][0-9a-f.:]{2,44})(?=[\s\]),;]|$)/i;

const MAX_MENTIONS = 5;

/**
 * The addresses a report writes beside the URLs and hosts it states ("URL
 * [192.0.2.1]", SpamCop's "http://… is 192.0.2.1"): where the reported page
 * is served from, stated by the reporter, so reported too. Pure; each stated
 * name is looked up at most five times, each look reads 450 characters.
 */
export function statedHosting(text: string, stated: readonly Indicator[]): Indicator[] {
  const names = [...new Set(stated.filter((s) => (s.kind === 'url' || s.kind === 'host') && s.host && !isIpAddress(s.host)).map((s) => s.host.toLowerCase()))];
  if (!names.length) return [];
  const plain = refang(text);
  const lower = plain.toLowerCase();
  const out = new Map<string, Indicator>();
  for (const host of names) {
    let from = 0;
    for (let n = 0; n < MAX_MENTIONS; n++) {
      const i = lower.indexOf(host, from);
      if (i < 0) break;
      from = i + host.length;
      const ip = BESIDE.exec(plain.slice(from, from + 450))?.[1];
      const value = ip ? canonicalIp(ip) : null;
      if (value) out.set(value, { kind: 'ip', value, host: value });
    }
  }
  return [...out.values()];
}
