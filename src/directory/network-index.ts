import ipaddr from 'ipaddr.js';

export type Addr = ipaddr.IPv4 | ipaddr.IPv6;

/** Parses an address, unwrapping IPv4-mapped IPv6 (::ffff:192.0.2.1) to IPv4. */
export function parseAddress(text: string): Addr | null {
  const trimmed = text.trim().replace(/^\[|\]$/g, '');
  // One parse (isValid would parse a second time); the character check keeps
  // exceptions, which are slow, for strings that look like addresses.
  if (!/^[0-9a-f:.]+$/i.test(trimmed)) return null;
  let addr: Addr;
  try {
    addr = ipaddr.parse(trimmed);
  } catch {
    return null;
  }
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

const mask4 = (n: number, bits: number): number => (bits === 0 ? 0 : (n & (0xffffffff << (32 - bits))) >>> 0);

function v4Key(bytes: number[], bits: number): number {
  return mask4(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0, bits);
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A plain dotted-quad IPv4 address as an unsigned 32-bit number; null for anything else. */
export function ipv4Number(text: string): number | null {
  const m = DOTTED_QUAD.exec(text);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    const octet = Number(part);
    // Leading zeros are ambiguous (octal in some parsers): leave them to ipaddr.js.
    if (octet > 255 || (part.length > 1 && part[0] === '0')) return null;
    n = n * 256 + octet;
  }
  return n;
}

const words = new Uint16Array(8);

/**
 * A plain IPv6 address (hex groups, at most one "::", no zone, no embedded
 * IPv4) as 32 lower-case hex digits; null for anything else, which the caller
 * leaves to ipaddr.js. Lookups of IPv6 addresses spend most of their time
 * parsing, and ipaddr.js's general parser is several times slower; this one
 * reads the string once, character by character (tests check it against
 * ipaddr.js).
 */
export function ipv6Hex(text: string): string | null {
  const len = text.length;
  if (len < 2 || len > 39) return null;
  let n = 0;
  let val = 0;
  let digits = 0;
  let gap = -1;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c === 58) {
      if (text.charCodeAt(i + 1) === 58) {
        if (gap >= 0) return null;
        if (digits) {
          if (n >= 8) return null;
          words[n++] = val;
        } else if (i !== 0) return null;
        gap = n;
        val = digits = 0;
        i++;
        continue;
      }
      if (!digits || n >= 8) return null;
      words[n++] = val;
      val = digits = 0;
      continue;
    } else return null;
    if (++digits > 4) return null;
    val = val * 16 + d;
  }
  if (digits) {
    if (n >= 8) return null;
    words[n++] = val;
  } else if (!(gap === n && text.endsWith('::'))) return null;
  if (gap < 0 ? n !== 8 : n > 7) return null;
  let hex = '';
  for (let k = 0; k < n; k++) {
    if (k === gap) hex += '0000'.repeat(8 - n);
    hex += (words[k]! | 0x10000).toString(16).slice(1);
  }
  if (gap === n) hex += '0000'.repeat(8 - n);
  return hex;
}

const fullHex = (bytes: number[]): string => {
  let hex = '';
  for (const b of bytes) hex += (b | 0x100).toString(16).slice(1);
  return hex;
};

// IPv6 prefix as a compact string: the first `bits` bits as hex, the last
// partial nibble masked. Built from the full hex once per lookup.
function v6KeyFromHex(hex: string, bits: number): string {
  const nibbles = bits >> 2;
  const rest = bits & 3;
  if (!rest) return hex.slice(0, nibbles);
  const last = parseInt(hex[nibbles]!, 16) & (0xf << (4 - rest)) & 0xf;
  return hex.slice(0, nibbles) + last.toString(16);
}

function v6Key(bytes: number[], bits: number): string {
  return v6KeyFromHex(fullHex(bytes), bits);
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

  /** Adds a value for a network; returns a value already stored for exactly that network, if any. */
  add(network: { addr: Addr; bits: number }, value: V): V | undefined {
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
    if (addr.kind() === 'ipv4') return this.lookupV4((((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0), belowBits);
    const hex = fullHex(bytes);
    for (const bits of this.v6Lengths) {
      if (bits >= belowBits) continue;
      const hit = this.v6.get(bits)!.get(v6KeyFromHex(hex, bits));
      if (hit) return { values: hit, bits };
    }
    return null;
  }

  /** Longest-prefix match for an IPv6 address given as 32 hex digits (IPv4-mapped ones go to IPv4). */
  lookupV6Hex(hex: string): { values: V[]; bits: number } | null {
    if (hex.startsWith('00000000000000000000ffff')) return this.lookupV4(parseInt(hex.slice(24), 16));
    for (const bits of this.v6Lengths) {
      const hit = this.v6.get(bits)!.get(v6KeyFromHex(hex, bits));
      if (hit) return { values: hit, bits };
    }
    return null;
  }

  /** Longest-prefix match for an IPv4 address given as a 32-bit number. */
  lookupV4(n: number, belowBits = Infinity): { values: V[]; bits: number } | null {
    for (const bits of this.v4Lengths) {
      if (bits >= belowBits) continue;
      const hit = this.v4.get(bits)!.get(mask4(n, bits));
      if (hit) return { values: hit, bits };
    }
    return null;
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): V | undefined {
  const list = map.get(key);
  if (list) {
    list.push(value);
    return list[0];
  }
  map.set(key, [value]);
  return undefined;
}
