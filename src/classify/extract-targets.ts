import ipaddr from 'ipaddr.js';
import { parse as parseDomain } from 'tldts';
import { normaliseAccount, normaliseHost, registrableDomain } from '../directory/names.ts';
import { EMAIL_ADDRESS } from '../text/email-address.ts';
import { refang } from './refang.ts';
import type { Indicator } from './indicator.ts';
import { canonicalIp } from '../text/ip-address.ts';


export interface ExtractContext {
  /** Our own domains: never a target (except our platform's profile URLs). */
  ownDomains: readonly string[];
  /** The reporter's mail domains: their signature and addresses are not targets. */
  reporterDomains: readonly string[];
  /**
   * Domains of the desks a complaint is copied to (abuse@provider.example):
   * that name itself is not a target, but a customer's site under it
   * (evil.provider.example) is.
   */
  deskDomains?: readonly string[];
  /** e.g. https://community.example/u/{handle} */
  profileUrlPatterns: readonly string[];
  /** Read "@name" as an account on our platform. */
  atHandles: boolean;
}

const MAX_INDICATORS = 200;

// Hosts of standards bodies and schema URLs that appear in report boilerplate.
const BOILERPLATE_DOMAINS = new Set([
  'ietf.org', 'rfc-editor.org', 'w3.org', 'iana.org', 'xmlsoap.org', 'purl.org', 'openxmlformats.org',
  'schema.org', 'x-arf.org', 'xarf.org', 'microsoft.com', 'mozilla.org',
]);
// Two-label names that are far more often file names than hosts in prose.
const FILE_LIKE_TLDS = new Set(['zip', 'mov', 'md', 'py', 'sh', 'pl', 'rs', 'ps', 'cs', 'so', 'exe', 'pdf', 'doc', 'php']);
// Reserved names (RFC 2606 / 6761) that directories and tests use; not in the PSL.
const RESERVED_TLDS = new Set(['test', 'example', 'invalid', 'local', 'localhost', 'tld']);

const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"'`{}|\\^]+/gi;
const IPV4_RE = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d]|\.\d)/g;
const IPV6_RE = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{1,4})?(?![\w:]|\.\d)/gi;
const HOST_RE = /(?<![\p{L}\p{N}@._-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}][\p{L}\p{N}-]{0,62}(?![\p{L}\p{N}-]|\.[\p{L}\p{N}])/gu;
const AT_HANDLE_RE = /(?<![\p{L}\p{N}_.@/])@([\p{L}\p{N}_](?:[\p{L}\p{N}_.-]{0,38}[\p{L}\p{N}_])?)(?![\p{L}\p{N}_@])/gu;

const TRAILING_PUNCTUATION = new Set('.,;:!?\'"»>');
const FINAL_PUNCTUATION = new Set('.,;:!?');

/** Length of `s` without the trailing characters in `set`: one pass from the end. */
function trimEnd(s: string, set: ReadonlySet<string>): string {
  let end = s.length;
  while (end > 0 && set.has(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/**
 * Strips what prose puts after a URL: closing punctuation and unbalanced
 * brackets. Counts each bracket once, so a URL followed by 30,000 ")" costs
 * one pass, not one pass per character stripped.
 */
export function trimUrl(url: string): string {
  let out = trimEnd(url, TRAILING_PUNCTUATION);
  for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
    let opens = 0;
    let closes = 0;
    for (const ch of out) {
      if (ch === open) opens++;
      else if (ch === close) closes++;
    }
    let end = out.length;
    while (end > 0 && out[end - 1] === close && closes > opens) end--, closes--;
    out = out.slice(0, end);
  }
  return trimEnd(out, FINAL_PUNCTUATION);
}

/** A host name as a report's field gives it, normalised, or null when it cannot be one. */
export function statedHost(name: string): Indicator | null {
  const host = normaliseHost(name);
  return host && isPlausibleHost(host, false) ? { kind: 'host', value: host, host } : null;
}

function isPlausibleHost(host: string, fromProse: boolean): boolean {
  const parsed = parseDomain(host, { allowPrivateDomains: true });
  if (!parsed.domain || !parsed.publicSuffix) return false;
  const tld = host.slice(host.lastIndexOf('.') + 1);
  const known = parsed.isIcann || parsed.isPrivate || RESERVED_TLDS.has(tld);
  if (!known) return false;
  if (fromProse && host.split('.').length === 2 && FILE_LIKE_TLDS.has(tld)) return false;
  return true;
}

function compilePatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => {
    const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{handle\\}', '([^/?#\\s]+)');
    return new RegExp(`^${escaped.replace(/^https:|^http:/, 'https?:')}(?:[/?#].*)?$`, 'i');
  });
}

/**
 * Finds URLs, IPv4/IPv6 addresses, host names, e-mail addresses and account
 * handles in the given texts, refanging them first. Drops our own domains,
 * the reporter's domains and standards boilerplate. Pure; each text yields
 * URLs, e-mail addresses, accounts, IPs, then host names; deduplicated; at most 200.
 */
export function extractIndicators(texts: readonly string[], ctx: ExtractContext): Indicator[] {
  const excluded = new Set([...ctx.ownDomains, ...ctx.reporterDomains].map((d) => registrableDomain(d) ?? d));
  const profiles = compilePatterns(ctx.profileUrlPatterns);
  const out = new Map<string, Indicator>();
  const add = (ind: Indicator): void => {
    if (out.size < MAX_INDICATORS) out.set(`${ind.kind}:${ind.value}`, ind);
  };
  const desks = new Set(ctx.deskDomains ?? []);
  const isExcludedHost = (host: string): boolean => {
    const dom = registrableDomain(host) ?? host;
    return excluded.has(dom) || BOILERPLATE_DOMAINS.has(dom) || desks.has(host) || desks.has(host.replace(/^(?:www|mail|smtp|mx\d*)\./, ''));
  };

  for (const raw of texts) {
    if (!raw) continue;
    let text = refang(raw);
    // URLs first, then blank them so their hosts and addresses are not found twice.
    text = text.replace(URL_RE, (match) => {
      const url = trimUrl(match);
      const ind = urlIndicator(url, profiles);
      if (ind && (ind.kind === 'account' || !isExcludedHost(ind.host))) add(ind);
      // A look-up on a registrar's or blocklist's site names the target in its query.
      else if (ind) return ` ${lookupQuery(url)} `;
      return ' '.repeat(match.length);
    });
    text = text.replace(EMAIL_ADDRESS, (match, domain: string) => {
      const host = normaliseHost(domain);
      // RFC 5321 caps a local part at 64 characters: a longer run is not an address.
      const local = match.length - domain.length - 1;
      if (local <= 64 && host && isPlausibleHost(host, false) && !isExcludedHost(host)) {
        add({ kind: 'email', value: `${match.slice(0, match.lastIndexOf('@'))}@${host}`.toLowerCase(), host });
      }
      return ' '.repeat(match.length);
    });
    // "@name" is an account when ops say so; otherwise only if the directory knows it (decided when matching).
    for (const m of text.matchAll(AT_HANDLE_RE)) {
      const handle = normaliseAccount(m[1]!);
      add({ kind: 'account', value: handle, host: '', ...(ctx.atHandles ? {} : { ifKnown: true }) });
    }
    for (const m of text.matchAll(IPV4_RE)) add({ kind: 'ip', value: m[0], host: m[0] });
    for (const m of text.matchAll(IPV6_RE)) {
      const cand = m[0];
      if (!cand.includes('::') && cand.split(':').length < 8) continue;
      if (!ipaddr.IPv6.isValid(cand)) continue;
      const addr = ipaddr.IPv6.parse(cand);
      const value = addr.isIPv4MappedAddress() ? addr.toIPv4Address().toString() : addr.toString();
      add({ kind: 'ip', value, host: value });
    }
    for (const m of text.matchAll(HOST_RE)) {
      const host = normaliseHost(m[0]);
      if (host && isPlausibleHost(host, true) && !isExcludedHost(host)) add({ kind: 'host', value: host, host });
    }
  }
  return [...out.values()];
}

const LOOKUP_PARAMS = new Set(['domain', 'q', 'query', 'searchterm', 'search', 'ip', 'host', 'hostname', 'url', 'target']);

function lookupQuery(url: string): string {
  try {
    return [...new URL(url).searchParams].filter(([k]) => LOOKUP_PARAMS.has(k.toLowerCase())).map(([, v]) => v).join(' ');
  } catch {
    return '';
  }
}

function urlIndicator(url: string, profiles: RegExp[]): Indicator | null {
  for (const re of profiles) {
    const m = re.exec(url);
    if (m?.[1]) return { kind: 'account', value: normaliseAccount(decodeURIComponent(m[1])), host: '' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  const address = canonicalIp(hostname);
  if (address) return { kind: 'url', value: parsed.href, host: address };
  const host = normaliseHost(hostname);
  if (!host || !isPlausibleHost(host, false)) return null;
  return { kind: 'url', value: parsed.href, host };
}
