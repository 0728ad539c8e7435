import type { Language } from '../config/schema.ts';
import type { CustomerMatch, MatchReason } from './customer.ts';
import { normaliseAccount, normaliseHost, registrableDomain } from './names.ts';
import { ipv4Number, ipv6Hex, NetworkIndex, parseAddress, parseNetwork } from './network-index.ts';

/** What the directory keeps of a customer: enough to address a notice. */
export interface DirectoryCustomer {
  id: string;
  name: string;
  contact: { email: string; language: Language };
}

/** A directory as rows, the way `directory import` writes it to PostgreSQL. */
export interface ImportRows {
  customers: Array<[id: string, name: string, email: string, language: string]>;
  entries: Record<'domains' | 'networks' | 'hosts' | 'accounts', Array<[customerId: string, value: string]>>;
}

/** One entry given to two customers, or twice to one: reported by `directory check`. */
export interface Duplicate {
  kind: 'domain' | 'host' | 'network' | 'account';
  value: string;
  customerIds: string[];
}

// A customer index, or several when an entry is shared: most entries have one
// owner, and a number costs nothing next to an array.
type Owners = number | number[];

function addOwner(map: Map<string, Owners>, key: string, owner: number): Owners | undefined {
  const cur = map.get(key);
  if (cur === undefined) map.set(key, owner);
  else if (typeof cur === 'number') map.set(key, cur === owner ? cur : [cur, owner]);
  else if (!cur.includes(owner)) cur.push(owner);
  return cur;
}

const IP_LIKE = /^[0-9a-f:.]+(\/\d{1,3})?$/i;

/**
 * Accumulates customers and their entries from any source (file, CSV, JSON
 * Lines, PostgreSQL), validating each entry, then freezes into a directory.
 * Errors carry the source position given by the caller.
 */
export class DirectoryBuilder {
  private readonly customers: DirectoryCustomer[] = [];
  private readonly ids = new Map<string, number>();
  private readonly domains = new Map<string, Owners>();
  private readonly hosts = new Map<string, Owners>();
  private readonly wildcards = new Map<string, Owners>();
  private readonly accounts = new Map<string, Owners>();
  private readonly networks = new NetworkIndex<{ c: number; cidr: string }>();
  readonly duplicates: Duplicate[] = [];
  readonly errors: string[] = [];
  /** With `record`, the validated rows as added, for `directory import`. */
  readonly rows: ImportRows | null;

  constructor(opts: { record?: boolean } = {}) {
    this.rows = opts.record ? { customers: [], entries: { domains: [], networks: [], hosts: [], accounts: [] } } : null;
  }

  /** Adds a customer; returns its index, or -1 (with an error recorded) if the id is taken. */
  addCustomer(c: DirectoryCustomer, where: string): number {
    if (this.ids.has(c.id)) {
      this.errors.push(`${where}: customer id ${c.id} appears twice`);
      return -1;
    }
    const idx = this.customers.push(c) - 1;
    this.ids.set(c.id, idx);
    this.rows?.customers.push([c.id, c.name, c.contact.email, c.contact.language]);
    return idx;
  }

  /** Index of a customer added earlier (for sources that list entries separately). */
  indexOf(id: string): number | undefined {
    return this.ids.get(id);
  }

  addDomain(idx: number, value: string, where: string): void {
    const host = normaliseHost(value);
    if (!host || !host.includes('.')) return void this.errors.push(`${where}: "${value}" is not a domain name`);
    this.note('domain', host, addOwner(this.domains, host, idx), idx);
    this.rows?.entries.domains.push([this.customers[idx]!.id, host]);
  }

  addServer(idx: number, value: string, where: string): void {
    if (IP_LIKE.test(value) && (value.includes(':') || /^\d/.test(value))) {
      const net = parseNetwork(value);
      if (!net) return void this.errors.push(`${where}: "${value}" is not a valid IP address or CIDR`);
      const earlier = this.networks.add(net, { c: idx, cidr: value });
      if (earlier) this.duplicates.push({ kind: 'network', value, customerIds: [...new Set([earlier.c, idx])].map((i) => this.customers[i]!.id) });
      this.rows?.entries.networks.push([this.customers[idx]!.id, value]);
      return;
    }
    const wildcard = value.startsWith('*.');
    const host = normaliseHost(wildcard ? value.slice(2) : value);
    if (!host || !host.includes('.')) return void this.errors.push(`${where}: server "${value}" is neither an IP, a CIDR nor a host name`);
    this.note('host', value, addOwner(wildcard ? this.wildcards : this.hosts, host, idx), idx);
    this.rows?.entries.hosts.push([this.customers[idx]!.id, wildcard ? `*.${host}` : host]);
  }

  addAccount(idx: number, value: string, where: string): void {
    const handle = normaliseAccount(value);
    if (!handle) return void this.errors.push(`${where}: empty account handle`);
    this.note('account', handle, addOwner(this.accounts, handle, idx), idx);
    this.rows?.entries.accounts.push([this.customers[idx]!.id, value.trim()]);
  }

  private note(kind: Duplicate['kind'], value: string, before: Owners | undefined, idx: number): void {
    if (before === undefined) return;
    const owners = typeof before === 'number' ? [before] : before;
    this.duplicates.push({ kind, value, customerIds: [...new Set([...owners, idx])].map((i) => this.customers[i]!.id) });
  }

  build(): CustomerDirectory {
    return new CustomerDirectory(this.customers, this.ids, this.domains, this.hosts, this.wildcards, this.accounts, this.networks);
  }
}

/**
 * In-memory index of who owns what: registered domains, hosted networks and
 * host names, platform accounts. Immutable once built; a reload builds a new
 * one and swaps the reference, so a lookup never sees half a directory.
 */
export class CustomerDirectory {
  constructor(
    private readonly customers: readonly DirectoryCustomer[],
    private readonly ids: ReadonlyMap<string, number>,
    private readonly domains: ReadonlyMap<string, Owners>,
    private readonly hosts: ReadonlyMap<string, Owners>,
    private readonly wildcards: ReadonlyMap<string, Owners>,
    private readonly accounts: ReadonlyMap<string, Owners>,
    private readonly networks: NetworkIndex<{ c: number; cidr: string }>,
  ) {}

  get size(): number {
    return this.customers.length;
  }

  get counts(): { customers: number; domains: number; hosts: number; networks: number; accounts: number } {
    return { customers: this.customers.length, domains: this.domains.size, hosts: this.hosts.size + this.wildcards.size, networks: this.networks.size, accounts: this.accounts.size };
  }

  customer(id: string): DirectoryCustomer | undefined {
    const idx = this.ids.get(id);
    return idx === undefined ? undefined : this.customers[idx];
  }

  private matches(owners: Owners | undefined, reason: MatchReason, entry: string): CustomerMatch[] {
    if (owners === undefined) return [];
    if (typeof owners === 'number') return [{ customerId: this.customers[owners]!.id, reason, entry }];
    return owners.map((i) => ({ customerId: this.customers[i]!.id, reason, entry }));
  }

  /** Customers hosting this address (longest-prefix match). */
  byAddress(ip: string): CustomerMatch[] {
    // Plain IPv4 and IPv6 skip the general parser (ipaddr.js), which handles the rest.
    const n = ipv4Number(ip);
    const hex = n === null ? ipv6Hex(ip) : null;
    const addr = n === null && hex === null ? parseAddress(ip) : null;
    const hit = n !== null ? this.networks.lookupV4(n) : hex !== null ? this.networks.lookupV6Hex(hex) : addr && this.networks.lookup(addr);
    return hit ? hit.values.map((v) => ({ customerId: this.customers[v.c]!.id, reason: 'hosted' as const, entry: v.cidr })) : [];
  }

  /** Networks of other entries that contain this one (for `directory check`). */
  enclosing(cidr: string): string[] {
    const net = parseNetwork(cidr);
    const hit = net && this.networks.lookup(net.addr, net.bits);
    return hit ? hit.values.map((v) => `${v.cidr} (${this.customers[v.c]!.id})`) : [];
  }

  /** Customers hosting this host name: exact entries first, then the nearest wildcard. */
  hostedBy(host: string): CustomerMatch[] {
    const name = normaliseHost(host);
    if (!name) return [];
    const exact = this.hosts.get(name);
    if (exact !== undefined) return this.matches(exact, 'hosted', name);
    for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      const parent = name.slice(dot + 1);
      const hit = this.wildcards.get(parent);
      if (hit !== undefined) return this.matches(hit, 'hosted', `*.${parent}`);
    }
    return [];
  }

  /** Customers who registered the domain this host name belongs to (Public Suffix List). */
  registrantsOf(host: string): CustomerMatch[] {
    const name = normaliseHost(host);
    if (!name) return [];
    const domain = registrableDomain(name);
    if (domain) {
      const hit = this.domains.get(domain);
      if (hit !== undefined) return this.matches(hit, 'registered', domain);
    }
    // Then any listed ancestor, for directories that list a delegated subdomain.
    for (let cur = name; cur.includes('.'); cur = cur.slice(cur.indexOf('.') + 1)) {
      const hit = this.domains.get(cur);
      if (hit !== undefined) return this.matches(hit, 'registered', cur);
    }
    return [];
  }

  byAccount(handle: string): CustomerMatch[] {
    const key = normaliseAccount(handle);
    return this.matches(this.accounts.get(key), 'account', key);
  }

  /** Everything known about a target, whatever its kind: what `abuse-desk lookup` shows. */
  lookup(target: string): CustomerMatch[] {
    const t = target.trim();
    if (parseAddress(t)) return this.byAddress(t);
    if (t.startsWith('@')) return this.byAccount(t);
    let host = t;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
      try {
        host = new URL(t).hostname.replace(/^\[|\]$/g, '');
      } catch {
        return [];
      }
      if (parseAddress(host)) return this.byAddress(host);
    }
    const all = [...this.hostedBy(host), ...this.registrantsOf(host)];
    return all.length || host.includes('.') ? all : this.byAccount(host);
  }
}
