import type { Indicator, TargetBasis } from '../classify/indicator.ts';
import type { CustomerMatch } from '../directory/customer.ts';
import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { Resolution } from '../directory/dns-resolver.ts';
import { registrableDomain } from '../directory/names.ts';
import type { Target } from './verdict.ts';

const MAX_SEEN = 20;
const BASIS_RANK: Readonly<Record<TargetBasis, number>> = { named: 0, accused: 1, stated: 2 };

/**
 * Turns indicators into targets and finds their owners:
 * - an address, or a URL / host we host → server target, owned by the host;
 * - a name registered with us but hosted elsewhere → domain target, owned by the registrant;
 * - a name that resolves (DNS answers in `resolved`) to an address we host →
 *   server target, owned by the host, with what was resolved and when;
 * - an account on our platform → account target;
 * - anything nobody owns is kept, with no customer.
 * Indicators for the same host, domain or account merge into one target.
 */
export function matchTargets(indicators: readonly Indicator[], directory: CustomerDirectory, resolved: ReadonlyMap<string, Resolution> = new Map()): Target[] {
  const targets = new Map<string, Target>();
  let ind: Indicator;
  const put = (type: Target['type'], value: string, matches: CustomerMatch[], seen: string, dns?: Resolution): void => {
    const key = `${type}:${value}`;
    const role = ind.role ?? 'reported';
    const why = ind.roleWhy ?? 'named';
    let t = targets.get(key);
    const sure = role === 'reported' && ind.basis ? { basis: ind.basis, basisWhy: ind.basisWhy ?? ind.basis, ...(ind.shape ? { shape: ind.shape } : {}) } : {};
    if (!t) {
      t = { type, value, customerId: matches[0]?.customerId ?? null, matches: dedupe(matches), seen: [], role, why, ...sure };
      if (dns) t.resolved = dns;
      targets.set(key, t);
    } else if (t.role === 'context' && role === 'reported') {
      // Reported through any of its indicators: reported.
      Object.assign(t, { role, why, ...sure });
    } else if (role === 'reported' && ind.basis && BASIS_RANK[ind.basis] > BASIS_RANK[t.basis ?? 'named']) {
      // As sure as the surest of its indicators.
      Object.assign(t, sure);
    }
    if (t.seen.length < MAX_SEEN && !t.seen.includes(seen)) t.seen.push(seen);
  };

  for (ind of indicators) {
    if (ind.kind === 'account') {
      const owners = directory.byAccount(ind.value);
      if (ind.ifKnown && !owners.length) continue;
      put('account', ind.value, owners, ind.value);
      continue;
    }
    if (ind.kind === 'ip' || (ind.kind === 'url' && isAddress(ind.host))) {
      put('server', ind.host, directory.byAddress(ind.host), ind.value);
      continue;
    }
    const registered = directory.registrantsOf(ind.host);
    const dns = resolved.get(ind.host);
    const hosted = directory.hostedBy(ind.host);
    const hostedByAddress = !hosted.length && dns ? dns.addresses.flatMap((ip) => directory.byAddress(ip)) : [];
    const domain = registrableDomain(ind.host) ?? ind.host;
    if (hosted.length) {
      // A host we serve is a server target; its registrant (if another customer) is told too.
      put('server', ind.host, [...hosted, ...registered], ind.value);
    } else if (hostedByAddress.length) {
      put('server', ind.host, [...hostedByAddress, ...registered], ind.value, dns);
    } else if (registered.length) {
      put('domain', domain, registered, ind.value);
    } else if (ind.kind === 'url') {
      put('server', ind.host, [], ind.value);
    } else {
      put('domain', domain, [], ind.value);
    }
  }
  return [...targets.values()];
}

/** An indicator's host that is an IP literal rather than a name. */
export function isAddress(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

function dedupe(matches: CustomerMatch[]): CustomerMatch[] {
  const seen = new Set<string>();
  return matches.filter((m) => {
    const key = `${m.customerId}:${m.reason}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
