import type { Indicator } from './indicator.ts';
import { isIpAddress, isIPv4Address } from '../text/ip-address.ts';
import { MAX_OCCURRENCES } from './role-patterns.ts';

/**
 * The reported IPv4 address a host name spells out in its labels, forwards
 * or backwards ("ip-192-0-2-1.example.net", "1.2.0.192.dyn.example.net"), or null.
 */
export function embeddedAddress(host: string, addresses: ReadonlySet<string>): string | null {
  const numbers = host.split(/[^0-9]+/).filter((n) => n !== '' && n.length <= 3 && +n <= 255);
  for (let k = 0; k + 4 <= numbers.length; k++) {
    const four = numbers.slice(k, k + 4).map((n) => String(+n));
    const forward = four.join('.');
    if (addresses.has(forward)) return forward;
    const backward = [...four].reverse().join('.');
    if (addresses.has(backward)) return backward;
  }
  return null;
}

/** The last match of a global pattern in a text (each scan linear: the patterns' words and the text's separators are disjoint). */
export function lastMatch(re: RegExp, text: string): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    last = m;
    if (m[0].length === 0) re.lastIndex++;
  }
  return last;
}

/**
 * Whether an address followed by "/NN" is an allocation's own address (its
 * host bits zero, /16 or larger): whois data. A reporter may accuse a
 * smaller block ("23.227.32.0/19 is scanning us"); that stays reported.
 */
export function isNetworkBlock(address: string, after: string): boolean {
  const prefix = /^\/(\d{1,3})(?!\d)/.exec(after)?.[1];
  if (!prefix || !isIPv4Address(address) || +prefix > 16) return false;
  const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
  const bits = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  return (bits & ((1 << (32 - +prefix)) - 1)) === 0;
}

/** The reported name (another host, or an address) a URL's path or query names, or null. */
export function aboutName(ind: Indicator, names: ReadonlySet<string>): string | null {
  let rest: string;
  try {
    const u = new URL(ind.value);
    rest = decodeURIComponent(`${u.pathname}${u.search}`).toLowerCase();
  } catch {
    return null;
  }
  // Each run of name characters in the path, and each of its dotted tails ("malware.cust.example" names "cust.example" too).
  for (const run of rest.split(/[^a-z0-9.:-]+/).slice(0, 40)) {
    const labels = run.split('.');
    for (let k = 0; k < labels.length - 1 && k < 8; k++) {
      const tail = labels.slice(k).join('.');
      if (tail !== ind.host && names.has(tail)) return tail;
    }
    if (run !== ind.host && names.has(run)) return run;
  }
  return null;
}

/** The IP address an indicator is (an address, or a URL on an address), else null. */
export function addressOf(ind: Indicator): string | null {
  if (ind.kind === 'ip') return isIpAddress(ind.value) ? ind.value : null;
  return ind.kind === 'url' && isIpAddress(ind.host) ? ind.host : null;
}

/**
 * Where a name is written in a text, at most MAX_OCCURRENCES offsets; as a
 * word only (not inside a longer name: "example.test" is not in
 * "notexample.test") unless `anywhere`.
 */
export function* mentionsOf(text: string, needle: string, anywhere = false): Generator<number> {
  for (let from = 0, n = 0; n < MAX_OCCURRENCES; n++) {
    const i = text.indexOf(needle, from);
    if (i < 0) return;
    from = i + needle.length;
    const prev = text[i - 1];
    if (anywhere || !prev || !/[\p{L}\p{N}-]/u.test(prev)) yield i;
  }
}
