/**
 * What the corpus's sources say each message reports, in order of trust (the
 * first that covers a message wins):
 *  1. abusix-inbound-parsers/EXPECTED.from-python-assertions.json (hand-written upstream),
 *  2. abusix-inbound-parsers/*.assertions.json (machine-generated upstream; category from the file name),
 *  3. ovh-cerberus-core/EXPECTED.transcribed.json,
 *  4. the abuseio/ rows of SOURCES.md (reported address and AbuseIO class).
 * Messages the sources expect to be rejected are left out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import type { Category } from '../src/classify/category.ts';
import { registrableDomain } from '../src/directory/names.ts';
import type { Verdict } from '../src/triage/verdict.ts';

// One place says where the corpus is, for the tests and the benches alike.
export { CORPUS } from '../tests/support/corpus.ts';
import { CORPUS } from '../tests/support/corpus.ts';

export interface Expected {
  file: string;
  ips: string[];
  urls: string[];
  /** Categories of ours that count as the same; null: the source states none. */
  categories: Category[] | null;
  source: string;
}

// The sources' category names, and which of our 14 categories are the same thing.
export const EQUIVALENT: Record<string, Category[]> = {
  spam: ['spam'], spamvertized: ['spam'],
  // A trap hit is mail into a spam trap or a probe into a honeypot (abusix files both as "trap").
  trap: ['spam', 'attack'], feedback_loop: ['spam'], harvesting: ['spam'],
  phishing: ['phishing'], phishing_website: ['phishing'],
  copyright: ['copyright'], copyright_infringement: ['copyright'],
  trademark: ['trademark', 'fraud'],
  fraud: ['fraud', 'phishing'],
  malware: ['malware'], malware_infection: ['malware'], botnet_infection: ['malware'], bot: ['malware'], compromised_website: ['malware', 'phishing'],
  login_attack: ['attack'], ddos: ['attack'], ddos_amplification: ['attack'], portscan: ['attack'], malicious_activity: ['attack'], compromised_server: ['attack'],
  // Exposed or vulnerable services: a notice about the server, not an attack by it.
  open: ['attack', 'other'], recursive_resolver: ['attack', 'other'], accessible_postgresql: ['attack', 'other'], cve: ['attack', 'other', 'malware'],
  other: ['other'], illegal: ['other', 'fraud', 'defamation', 'hate', 'violence', 'privacy'],
};
const categoriesFor = (name: string | null | undefined): Category[] | null => (name ? (EQUIVALENT[name.toLowerCase().replace(/[\s-]+/g, '_')] ?? null) : null);

export const expected = new Map<string, Expected>();
const add = (e: Expected): void => {
  if (!expected.has(e.file) && existsSync(join(CORPUS, e.file)) && (e.ips.length || e.urls.length || e.categories)) expected.set(e.file, e);
};

// 1. Hand-written abusix assertions.
{
  const data = JSON.parse(readFileSync(join(CORPUS, 'abusix-inbound-parsers/EXPECTED.from-python-assertions.json'), 'utf8')) as { samples: Record<string, Record<string, unknown>> };
  for (const [name, s] of Object.entries(data.samples)) {
    if (s.error) continue;
    const ips = [s.ip, ...((s.ips_in_order as string[]) ?? []), ...((s.ip_one_of as string[]) ?? [])].filter((x): x is string => typeof x === 'string');
    const urls = [s.url, ...((s.urls_in_order as string[]) ?? [])].filter((x): x is string => typeof x === 'string');
    add({ file: `abusix-inbound-parsers/${name}`, ips, urls, categories: categoriesFor(s.category_from_filename as string), source: 'abusix python' });
  }
}
// 2. Machine-generated abusix assertions.
for (const f of readdirSync(join(CORPUS, 'abusix-inbound-parsers')).filter((n) => n.endsWith('.assertions.json'))) {
  const d = JSON.parse(readFileSync(join(CORPUS, 'abusix-inbound-parsers', f), 'utf8')) as { parser_output?: { rejected?: boolean; events?: Array<{ resources?: { ip?: string; url?: string } }> } };
  const out = d.parser_output;
  if (!out || out.rejected) continue;
  const name = f.replace(/\.assertions\.json$/, '');
  const events = out.events ?? [];
  add({
    file: `abusix-inbound-parsers/${name}`,
    ips: events.map((e) => e.resources?.ip).filter((x): x is string => !!x),
    urls: events.map((e) => e.resources?.url).filter((x): x is string => !!x),
    categories: categoriesFor(name.split('.')[1]),
    source: 'abusix assertions',
  });
}
// 3. OVH transcription.
{
  const data = JSON.parse(readFileSync(join(CORPUS, 'ovh-cerberus-core/EXPECTED.transcribed.json'), 'utf8')) as { samples?: Record<string, Record<string, unknown>> };
  for (const [name, s] of Object.entries(data.samples ?? {})) {
    const list = (k: string) => ((s[k] as string[] | undefined) ?? []);
    add({ file: `ovh-cerberus-core/${name}`, ips: [...list('ips'), ...list('ips_include')], urls: [...list('urls'), ...list('fqdn')], categories: categoriesFor(s.category as string), source: 'ovh' });
  }
}
// 4. AbuseIO rows of SOURCES.md: "| `feed/file.eml` | ... reports 10.0.2.150 ... → CLASS |".
{
  const text = readFileSync(join(CORPUS, 'SOURCES.md'), 'utf8');
  const section = text.slice(text.indexOf('## `abuseio/`'), text.indexOf('\n## ', text.indexOf('## `abuseio/`') + 5));
  for (const m of section.matchAll(/^\| `([^`]+\.eml)` \| (.+?) \|$/gm)) {
    const desc = m[2]!;
    const ips = [...desc.matchAll(/(?:reports|Source-IP|BitTorrent on|BitTorrent|hosted on|IPs?)\s+((?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7})/gi)].map((x) => x[1]!);
    const urls = [...desc.matchAll(/https?:\/\/[^\s;,)]+/g)].map((x) => x[0]);
    const cls = /→\s*([A-Z_]+)/.exec(desc)?.[1];
    add({ file: `abuseio/${m[1]}`, ips, urls, categories: categoriesFor(cls), source: 'abuseio' });
  }
}


const hostOf = (u: string): string | null => {
  try {
    // Sources write some URLs without a scheme ("example.it/path").
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(u) ? u : `http://${u}`;
    return new URL(withScheme.replace(/^hxxp/i, 'http')).hostname.toLowerCase();
  } catch {
    return null;
  }
};
// Sources write IPv6 in any form; we print the canonical one.
const canonicalIp = (ip: string): string => (ipaddr.isValid(ip) ? ipaddr.process(ip).toString() : ip.toLowerCase());

/** Whether a decision found the IP, the host or the registrable domain of `wanted` (an IP, host or URL). */
export function foundTarget(d: Verdict, wanted: string): boolean {
  const values = new Set(d.targets.flatMap((t) => [t.value, ...t.seen.map((s) => hostOf(s) ?? s)]).map((v) => v.toLowerCase()));
  if (ipaddr.isValid(wanted)) return values.has(canonicalIp(wanted));
  const host = hostOf(wanted) ?? wanted.toLowerCase();
  const domains = new Set([...values].map((v) => registrableDomain(v) ?? v));
  return values.has(host) || domains.has(registrableDomain(host) ?? host);
}

/** Whether one target is what `wanted` (an IP, host or URL) names: the same IP, host or registrable domain. */
export function namedBy(t: Verdict['targets'][number], wanted: string): boolean {
  const values = [t.value, ...t.seen.map((s) => hostOf(s) ?? s)].map((v) => v.toLowerCase());
  if (ipaddr.isValid(wanted)) return values.includes(canonicalIp(wanted));
  const host = hostOf(wanted) ?? wanted.toLowerCase();
  const domain = registrableDomain(host) ?? host;
  return values.some((v) => v === host || (registrableDomain(v) ?? v) === domain);
}
