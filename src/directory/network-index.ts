import ipaddr from 'ipaddr.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

/** Parses an address, unwrapping IPv4-mapped IPv6 (::ffff:192.0.2.1) to IPv4. */
export function parseAddress(text: string): Addr | null {
  const trimmed = text.trim().replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(trimmed)) return null;
  const addr = ipaddr.parse(trimmed);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (addr as ipaddr.IPv6).toIPv4Address();
  }
  return addr;
}

/** Parses "192.0.2.0/24", "2001:db8::/48" or a single address (as /32 or /128). */
export function parseNetwork(text: string): { addr: Addr; bits: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const addr = parseAddress(text);
    return addr ? { addr, bits: addr.kind() === 'ipv4' ? 32 : 128 } : null;
  }
  try {
    const [addr, bits] = ipaddr.parseCIDR(text.trim());
    return { addr, bits };
  } catch {
    return null;
  }
}

// Network prefix of `bytes` as a compact string key: the first `bits` bits,
// hex-encoded, with the remainder masked off.
function prefixKey(bytes: number[], bits: number): string {
  let key = '';
  const full = bits >> 3;
  for (let i = 0; i < full; i++) key += (bytes[i]! | 0x100).toString(16).slice(1);
  const rest = bits & 7;
  if (rest) key += ((bytes[full]! & (0xff << (8 - rest)) & 0xff) | 0x100).toString(16).slice(1);
  return key;
}

/**
 * Longest-prefix match over IPv4 and IPv6 networks: one hash map per prefix
 * length, probed from the longest length present down, so a lookup costs at
 * most 33 (IPv4) or 129 (IPv6) map probes whatever the number of networks.
 */
export class NetworkIndex<V> {
  private readonly maps = { ipv4: new Map<number, Map<string, V[]>>(), ipv6: new Map<number, Map<string, V[]>>() };
  private lengths: { ipv4: number[]; ipv6: number[] } = { ipv4: [], ipv6: [] };

  add(network: { addr: Addr; bits: number }, value: V): void {
    const kind = network.addr.kind();
    const byLen = this.maps[kind];
    let map = byLen.get(network.bits);
    if (!map) {
      byLen.set(network.bits, (map = new Map()));
      this.lengths[kind] = [...byLen.keys()].sort((a, b) => b - a);
    }
    const key = prefixKey(network.addr.toByteArray(), network.bits);
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  /** Values of the most specific network holding `addr`, with that network's prefix length. */
  lookup(addr: Addr): { values: V[]; bits: number } | null {
    const kind = addr.kind();
    const bytes = addr.toByteArray();
    for (const bits of this.lengths[kind]) {
      const hit = this.maps[kind].get(bits)!.get(prefixKey(bytes, bits));
      if (hit) return { values: hit, bits };
    }
    return null;
  }
}
