import type { Indicator, RoleDecision } from './indicator.ts';
import type { RoleScan } from './role-scan.ts';
import { isIPv4Address } from '../text/ip-address.ts';
import { aboutName, addressOf, embeddedAddress } from './role-hints.ts';

/**
 * Roles for all the indicators of a complaint: each read from the text
 * (RoleScan), then private addresses made reported when no other address
 * is.
 */
export function decideRoles(indicators: readonly Indicator[], scanOf: () => RoleScan, fixed: (ind: Indicator) => RoleDecision | null): Indicator[] {
  // Read the text only when some indicator needs it (a feed's thousand stated rows do not).
  let scan: RoleScan | null = null;
  const decided = indicators.map((i) => {
    const f = fixed(i);
    return { i, r: f ?? (scan ??= scanOf()).roleOf(i), stated: f !== null };
  });
  // An access network's name for a reported address ("67-0-205-99.albq.example.net") is that address again:
  // its owner is who the report concerns, not the registrant of the network's domain.
  const reportedV4 = new Set(decided.filter(({ i, r }) => r.role === 'reported' && i.kind === 'ip' && isIPv4Address(i.value)).map(({ i }) => i.value));
  // A page on another site about a reported name ("https://lookup.test/check/evil.test"), in the reporter's own
  // words, is where they read about it: a reference.
  const reportedNames = new Set(decided.filter(({ r }) => r.role === 'reported').map(({ i }) => (i.kind === 'email' ? i.host : i.kind === 'url' ? i.host : i.value).toLowerCase()).filter((n) => n));
  for (const d of decided) {
    if (d.stated || d.r.role !== 'reported' || d.i.kind !== 'url' || !(scan ??= scanOf()).inOwnWords(d.i.value)) continue;
    const about = aboutName(d.i, reportedNames);
    if (about) d.r = { role: 'context', why: `a page about ${about}, which is reported itself` };
  }
  if (reportedV4.size) {
    for (const d of decided) {
      if (d.stated || d.r.role !== 'reported' || d.i.kind === 'ip' || d.i.kind === 'account' || !d.i.host) continue;
      const ip = embeddedAddress(d.i.host, reportedV4);
      if (ip) d.r = { role: 'context', why: `the reverse DNS name of ${ip}, which is reported itself` };
    }
  }
  // Beside a public address the report accuses, a private one is a log's internal hop; otherwise it is the accused.
  const alone = !decided.some(({ i, r }) => r.role === 'reported' && addressOf(i) !== null);
  return decided.map(({ i, r }) =>
    r.unlessAlone && alone
      ? { ...i, role: 'reported', roleWhy: 'a private address, the only address the report accuses' }
      : { ...i, role: r.role, roleWhy: r.why, ...(r.role === 'reported' && r.basis ? { basis: r.basis, basisWhy: r.why } : {}) },
  );
}
