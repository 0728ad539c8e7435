import ipaddr from 'ipaddr.js';

export type Addr = ipaddr.IPv4 | ipaddr.IPv6;

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

/** Parses "192.0.2.0/24", "2001:db8::/48" or a single address (as /32 or /128); null if invalid. */
export function parseNetwork(text: string): { addr: Addr; bits: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const addr = parseAddress(text);
    return addr ? { addr, bits: addr.kind() === 'ipv4' ? 32 : 128 } : null;
  }
  try {
    const [addr, bits] = ipaddr.parseCIDR(text.trim());
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return { addr: (addr as ipaddr.IPv6).toIPv4Address(), bits: bits - 96 };
    }
    return { addr, bits };
  } catch {
    return null;
  }
}

function v4Key(bytes: number[], bits: number): number {
  const n = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return bits === 0 ? 0 : (n & (0xffffffff << (32 - bits))) >>> 0;
}

// IPv6 prefix as a compact string: the first `bits` bits, masked, as hex.
function v6Key(bytes: number[], bits: number): string {
  let key = '';
  const full = bits >> 3;
  for (let i = 0; i < full; i++) key += (bytes[i]! | 0x100).toString(16).slice(1);
  const rest = bits & 7;
  if (rest) key += ((bytes[full]! & (0xff << (8 - rest)) & 0xff) | 0x100).toString(16).slice(1);
  return key;
}

/**
 * Longest-prefix match over IPv4 and IPv6 networks: one hash map per prefix
 * length (numeric keys for IPv4), probed from the longest length present down,
 * so a lookup costs one probe per distinct prefix length in use, whatever the
 * number of networks.
 */
export class NetworkIndex<V> {
  private readonly v4 = new Map<number, Map<number, V[]>>();
  private readonly v6 = new Map<number, Map<string, V[]>>();
  private v4Lengths: number[] = [];
  private v6Lengths: number[] = [];
  size = 0;

  /** Adds a value for a network; returns the values already stored for exactly that network. */
  add(network: { addr: Addr; bits: number }, value: V): V[] {
    const bytes = network.addr.toByteArray();
    const { bits } = network;
    this.size++;
    if (network.addr.kind() === 'ipv4') {
      let map = this.v4.get(bits);
      if (!map) {
        this.v4.set(bits, (map = new Map()));
        this.v4Lengths = [...this.v4.keys()].sort((a, b) => b - a);
      }
      return pushTo(map, v4Key(bytes, bits), value);
    }
    let map = this.v6.get(bits);
    if (!map) {
      this.v6.set(bits, (map = new Map()));
      this.v6Lengths = [...this.v6.keys()].sort((a, b) => b - a);
    }
    return pushTo(map, v6Key(bytes, bits), value);
  }

  /** Values of the most specific network holding `addr` (shorter than `belowBits` if given), with its prefix length. */
  lookup(addr: Addr, belowBits = Infinity): { values: V[]; bits: number } | null {
    const bytes = addr.toByteArray();
    if (addr.kind() === 'ipv4') {
      for (const bits of this.v4Lengths) {
        if (bits >= belowBits) continue;
        const hit = this.v4.get(bits)!.get(v4Key(bytes, bits));
        if (hit) return { values: hit, bits };
      }
      return null;
    }
    for (const bits of this.v6Lengths) {
      if (bits >= belowBits) continue;
      const hit = this.v6.get(bits)!.get(v6Key(bytes, bits));
      if (hit) return { values: hit, bits };
    }
    return null;
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): V[] {
  const list = map.get(key);
  if (list) {
    const before = list.slice();
    list.push(value);
    return before;
  }
  map.set(key, [value]);
  return [];
}
