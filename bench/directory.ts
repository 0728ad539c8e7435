/**
 * Customer directory at provider scale: 1,000,000 domains, 200,000 networks
 * (half IPv4, half IPv6) and 1,000,000 accounts over 100,000 customers,
 * written as a JSON Lines file (not timed), then loaded through the real
 * source (timed), then looked up on this one core.
 * Last line: {"loadSec", "heapMB", "lookupsPerSec": {"domain", "ip", "account"}}
 *
 * Run with: npm run bench:directory
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDirectory } from '../src/directory/load-directory.ts';

const CUSTOMERS = 100_000;
const DOMAINS_EACH = 10;
const ACCOUNTS_EACH = 10;
const NETWORKS_EACH = 2; // one IPv4 /24-/29, one IPv6 /48-/64

// Deterministic pseudo-random numbers, so every run measures the same directory.
let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const TLDS = ['com', 'net', 'org', 'fr', 'de', 'co.uk', 'com.au', 'io', 'info', 'eu'];

function v4Network(i: number): string {
  // Distinct /24s from 10.0.0.0 up, some split further.
  const bits = pick([24, 24, 24, 26, 28, 29]);
  return `${10 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.0/${bits}`;
}
function v6Network(i: number): string {
  const bits = pick([48, 56, 64]);
  return `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::/${bits}`;
}

const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-bench-directory-'));
const file = join(dir, 'customers.jsonl');
const domains: string[] = [];
const accounts: string[] = [];
const v4: string[] = [];
const v6: string[] = [];
{
  const out = createWriteStream(file);
  for (let c = 0; c < CUSTOMERS; c++) {
    const ds = Array.from({ length: DOMAINS_EACH }, (_, k) => `shop${c}-${k}.${pick(TLDS)}`);
    const as = Array.from({ length: ACCOUNTS_EACH }, (_, k) => `User_${c}_${k}`);
    const nets = [v4Network(c), v6Network(c)].slice(0, NETWORKS_EACH);
    if (c % 100 === 0) for (const d of ds) domains.push(d);
    if (c % 100 === 0) for (const a of as) accounts.push(a);
    if (c % 50 === 0) (v4.push(nets[0]!), v6.push(nets[1]!));
    const line = JSON.stringify({ id: `C${c}`, name: `Customer ${c}`, contact: { email: `abuse@c${c}.example`, language: c % 3 ? 'en' : 'fr' }, domains: ds, servers: nets, accounts: as });
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const directory = await loadDirectory({ kind: 'jsonl', location: file, schema: 'abuse_desk' });
const loadSec = (performance.now() - t0) / 1000;
gc?.();
const heapMB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
rmSync(dir, { recursive: true, force: true });

// Queries: three in four hit (a subdomain, an address inside a network, an
// account in another case), one in four misses.
const N = 1_000_000;
const hostInside = (cidr: string): string => {
  const [base] = cidr.split('/');
  if (base!.includes(':')) return base!.replace('::', `:${Math.floor(rand() * 0xffff).toString(16)}::${Math.floor(rand() * 0xffff).toString(16)}`);
  const parts = base!.split('.');
  parts[3] = String(Math.floor(rand() * 8));
  return parts.join('.');
};
const domainQueries = Array.from({ length: 10_000 }, (_, i) => (i % 4 ? `www.${pick(domains)}` : `www.missing${i}.com`));
const ipQueries = Array.from({ length: 10_000 }, (_, i) => (i % 4 ? hostInside(pick(i % 2 ? v4 : v6)) : i % 8 ? `192.0.2.${i % 250}` : `2001:db9::${i.toString(16)}`));
const accountQueries = Array.from({ length: 10_000 }, (_, i) => (i % 4 ? pick(accounts).toUpperCase() : `nobody_${i}`));

function rate(queries: string[], fn: (q: string) => unknown[]): { perSec: number; hits: number } {
  for (let i = 0; i < 20_000; i++) fn(queries[i % queries.length]!); // warm up the JIT
  let hits = 0;
  const start = performance.now();
  for (let i = 0; i < N; i++) if (fn(queries[i % queries.length]!).length) hits++;
  return { perSec: Math.round(N / ((performance.now() - start) / 1000)), hits: hits / N };
}
const domain = rate(domainQueries, (q) => directory.registrantsOf(q));
const ip = rate(ipQueries, (q) => directory.byAddress(q));
const account = rate(accountQueries, (q) => directory.byAccount(q));

console.log(`directory: ${JSON.stringify(directory.counts)}; hit rates domain ${domain.hits.toFixed(2)}, ip ${ip.hits.toFixed(2)}, account ${account.hits.toFixed(2)}`);
console.log(JSON.stringify({ loadSec: +loadSec.toFixed(2), heapMB: Math.round(heapMB), lookupsPerSec: { domain: domain.perSec, ip: ip.perSec, account: account.perSec } }));
