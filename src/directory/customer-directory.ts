import type { Customer, CustomerMatch } from './customer.ts';
import { normaliseAccount, normaliseHost, registrableDomain } from './names.ts';
import { NetworkIndex, parseAddress, parseNetwork } from './network-index.ts';

/**
 * In-memory index of who owns what: registered domains, hosted networks and
 * host names, platform accounts. Immutable once built; a reload builds a new
 * one and swaps the reference, so a lookup never sees half a directory.
 */
export class CustomerDirectory {
  private readonly customers = new Map<string, Customer>();
  private readonly domains = new Map<string, CustomerMatch[]>();
  private readonly hosts = new Map<string, CustomerMatch[]>();
  private readonly wildcardHosts = new Map<string, CustomerMatch[]>();
  private readonly networks = new NetworkIndex<CustomerMatch>();
  private readonly accounts = new Map<string, CustomerMatch[]>();

  constructor(customers: readonly Customer[]) {
    for (const c of customers) {
      if (this.customers.has(c.id)) throw new Error(`customer id ${c.id} appears twice`);
      this.customers.set(c.id, c);
      for (const d of c.domains) {
        const host = normaliseHost(d);
        if (!host) throw new Error(`customer ${c.id}: "${d}" is not a domain name`);
        push(this.domains, host, { customerId: c.id, reason: 'registered', entry: host });
      }
      for (const s of c.servers) {
        const net = /^[0-9a-f:.]+(\/\d+)?$/i.test(s) && s.includes('.') !== s.includes(':') ? parseNetwork(s) : null;
        if (net) {
          this.networks.add(net, { customerId: c.id, reason: 'hosted', entry: s });
          continue;
        }
        const wildcard = s.startsWith('*.');
        const host = normaliseHost(wildcard ? s.slice(2) : s);
        if (!host) throw new Error(`customer ${c.id}: server "${s}" is neither an IP, a CIDR nor a host name`);
        push(wildcard ? this.wildcardHosts : this.hosts, host, { customerId: c.id, reason: 'hosted', entry: s });
      }
      for (const a of c.accounts) {
        push(this.accounts, normaliseAccount(a), { customerId: c.id, reason: 'account', entry: a });
      }
    }
  }

  get size(): number {
    return this.customers.size;
  }

  customer(id: string): Customer | undefined {
    return this.customers.get(id);
  }

  /** Customers hosting this address (longest-prefix match). */
  byAddress(ip: string): CustomerMatch[] {
    const addr = parseAddress(ip);
    return addr ? (this.networks.lookup(addr)?.values ?? []) : [];
  }

  /** Customers hosting this host name: exact entries first, then the nearest wildcard. */
  hostedBy(host: string): CustomerMatch[] {
    const name = normaliseHost(host);
    if (!name) return [];
    const exact = this.hosts.get(name);
    if (exact) return exact;
    for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      const hit = this.wildcardHosts.get(name.slice(dot + 1));
      if (hit) return hit;
    }
    return [];
  }

  /** Customers who registered the domain this host name belongs to. */
  registrantsOf(host: string): CustomerMatch[] {
    const name = normaliseHost(host);
    if (!name) return [];
    // The registrable domain first; then any listed ancestor, for directories
    // that list a delegated subdomain as a customer's own.
    const domain = registrableDomain(name);
    if (domain && this.domains.has(domain)) return this.domains.get(domain)!;
    for (let cur = name; cur.includes('.'); cur = cur.slice(cur.indexOf('.') + 1)) {
      const hit = this.domains.get(cur);
      if (hit) return hit;
    }
    return [];
  }

  byAccount(handle: string): CustomerMatch[] {
    return this.accounts.get(normaliseAccount(handle)) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
