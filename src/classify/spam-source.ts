import ipaddr from 'ipaddr.js';
import { normaliseHost, registrableDomain } from '../directory/names.ts';
import { canonicalIp } from '../text/ip-address.ts';

/** One Received hop: who handed the message over, and who took it. */
export interface ReceivedHop {
  fromHost: string | null;
  fromIp: string | null;
  byHost: string | null;
}

export interface SpamSource {
  ip: string;
  host: string | null;
  /** 0 is the topmost (most recent) Received field. */
  hop: number;
  why: string;
}

const MAX_CANDIDATES = 3;

const IP_IN_BRACKETS = /\[(?:IPv6:)?([0-9a-f:.]+)\]/i;
const BARE_IP = /\(([0-9a-f:.]{7,})\)/i;

// A report forwarded as an attachment (a provider's complaint passed on) holds the spam as an attachment of its own.
const NESTED_MESSAGE = /^Content-Type:[ \t]*message\/rfc822\b/im;

/** The innermost message attached inside an attached message that has a Received field (at most four levels down). */
export function innermostMessage(text: string): string {
  let t = text;
  for (let n = 0; n < 4; n++) {
    const at = t.search(NESTED_MESSAGE);
    if (at < 0) break;
    const blank = /\r?\n[ \t]*\r?\n/.exec(t.slice(at));
    if (!blank) break;
    const inner = t.slice(at + blank.index + blank[0].length);
    if (!receivedFields(inner).length) break;
    t = inner;
  }
  return t;
}

// A fold whose indentation was lost when headers were pasted or forwarded as text ("(host [192.0.2.1])", "by mx…",
// a signature's "d=example.net; s=sel;").
const PASTED_FOLD = /^(?:by|with|for|id|via|envelope-from)\s|^\(|^[a-z]{1,12}=[^\s=]/i;

/**
 * Whether a line continues the header field above it: indented, a fold whose
 * indent was lost, or any line after one broken right after "by", "from" or
 * "with" ("… by\nmx.example.net with …"). `above`: the field so far, or at
 * least its last line.
 */
export function continuesField(line: string, above: string): boolean {
  return /^[ \t]/.test(line) || PASTED_FOLD.test(line) || (line.trim() !== '' && /\s(?:by|from|with)\s*$/i.test(above));
}

/** The Received fields of a message's header block, unfolded, topmost first. */
export function receivedFields(headerText: string): string[] {
  return receivedIn((headerText.split(/\r?\n\r?\n/)[0] ?? '').split(/\r?\n/));
}

/**
 * Every Received field anywhere in a text (the complaint's copies, a
 * forwarded report's own path, pasted headers), unfolded. Linear.
 */
export function allReceivedFields(text: string): string[] {
  return receivedIn(asWritten(text).split(/\r?\n/));
}

/** Headers pasted double-spaced or flattened onto one line, as they were written. Linear. */
export function asWritten(text: string): string {
  return unflattened(singleSpaced(text));
}

// Where a field starts inside a flattened line: a space, then a header name and ": ".
const FIELD_INSIDE = / (?=(?:Received|Received-SPF|Authentication-Results|ARC-[\w-]+|DKIM-Signature|X-[\w-]+|From|To|Cc|Subject|Date|Message-ID|Return-Path|MIME-Version|Content-Type): )/g;

/**
 * Headers flattened onto one line (as a web mail's "show original" pasted
 * into a text box gives them): a line that holds two Received fields or more
 * is cut where each field starts. Other lines are left alone. Linear.
 */
export function unflattened(text: string): string {
  if (!text.includes(' Received: from ') && !text.includes(' Received: by ')) return text;
  return text.replace(/^.*$/gm, (line) => ((line.match(/(?:^| )Received: (?:from|by) /g)?.length ?? 0) >= 2 ? line.replace(FIELD_INSIDE, '\n') : line));
}

/**
 * Headers pasted with a blank line after every line (as some mail clients
 * forward them) as they were written: a blank line there ends nothing.
 * Judged on the 40 lines from the first Received field; other text is
 * returned as it is. Linear.
 */
export function singleSpaced(text: string): string {
  const at = text.search(/^Received:/im);
  if (at < 0) return text;
  const lines = text.slice(at, at + 8000).split(/\r?\n/).slice(0, 40);
  const blank = lines.filter((l) => !l.trim()).length;
  const runs = lines.some((l, k) => !l.trim() && k > 0 && !lines[k - 1]!.trim());
  return blank >= 12 && blank * 2 >= lines.length - 1 && !runs ? text.slice(0, at) + text.slice(at).replace(/(\r?\n)[ \t]*\r?\n(?=[^\r\n])/g, '$1') : text;
}

function receivedIn(lines: readonly string[]): string[] {
  const fields: string[] = [];
  let cur: string | null = null;
  for (const line of lines) {
    if (cur !== null && continuesField(line, cur)) {
      cur += ` ${line.trim()}`;
      continue;
    }
    if (cur !== null) fields.push(cur);
    cur = /^Received:/i.test(line) ? line.slice(9).trim() : null;
  }
  if (cur !== null) fields.push(cur);
  return fields;
}

/**
 * The text after "from" up to " by " or ";". Two plain searches: a lazy
 * pattern with a lookahead for "\s+by" rescanned every run of spaces at
 * each position, quadratic on a field padded with spaces.
 */
function fromClause(field: string): string {
  const at = field.search(/\bfrom\s/i);
  if (at < 0) return '';
  const rest = field.slice(at + 5);
  const end = rest.search(/\sby\s|;/i);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

/** Reads "from HELO (rdns [ip]) by host ..." as written by the common MTAs. */
export function parseReceived(field: string): ReceivedHop {
  const fromPart = fromClause(field);
  const byHost = /\bby\s+([a-z0-9.-]+\.[a-z]{2,})/i.exec(field)?.[1] ?? null;
  const ip = IP_IN_BRACKETS.exec(fromPart)?.[1] ?? BARE_IP.exec(fromPart)?.[1] ?? null;
  // Prefer the reverse-DNS name in the parentheses over the HELO name.
  const rdns = /\(\s*([a-z0-9.-]+\.[a-z]{2,})\s*\[/i.exec(fromPart)?.[1];
  const helo = /^([a-z0-9.-]+\.[a-z]{2,})\b/i.exec(fromPart)?.[1];
  return {
    fromHost: normaliseHost(rdns ?? helo ?? '') ?? null,
    fromIp: ip ? canonicalIp(ip) : null,
    byHost: byHost ? normaliseHost(byHost) : null,
  };
}

// Addresses that cannot be the spammer's server as the Internet saw it.
const INTERNAL = new Set(['private', 'loopback', 'linkLocal', 'uniqueLocal', 'carrierGradeNat', 'unspecified', 'broadcast', 'multicast']);
const isPublic = (ip: string): boolean => !INTERNAL.has(ipaddr.process(ip).range());

/**
 * The spam source behind the reporter's relays: walking the Received fields
 * from the top (the reporter's own mail server), the first hop handed over
 * from a public address whose host is not in the reporter's domains or the
 * domain of the reporter's receiving server.
 *
 * That hop may itself be a relay of the reporter's that we cannot know (a
 * university's national network, a forwarding service). When the field below
 * it was written by that same host (its "by" is this hop's "from") and names
 * a public sender, that sender is a candidate too, up to three in all, first
 * untrusted hop first: each is matched against the directory. Pure.
 */
export function findSpamSources(headerText: string, reporterDomains: readonly string[]): SpamSource[] {
  const hops = receivedFields(headerText).map(parseReceived);
  if (!hops.length) return [];
  const trusted = new Set(reporterDomains.map((d) => registrableDomain(d) ?? d));
  // The topmost receiver is the reporter's own mail server. Receivers further
  // down may be the spammer's own relays, so they earn no trust.
  const top = hops[0]!.byHost;
  if (top) trusted.add(registrableDomain(top) ?? top);
  const found: SpamSource[] = [];
  const authorised = spfAuthorised(headerText);
  for (let i = 0; i < hops.length && found.length < MAX_CANDIDATES; i++) {
    const h = hops[i]!;
    if (!h.fromIp || !isPublic(h.fromIp)) {
      if (found.length) break;
      continue;
    }
    const domain = h.fromHost ? (registrableDomain(h.fromHost) ?? h.fromHost) : null;
    if (!found.length && domain && trusted.has(domain)) continue;
    const above = found.at(-1);
    // A server the sender's domain authorises (SPF pass) is the sender's own, not a relay of the reporter's.
    if (above && (authorised.has(above.ip) || !(above.host && hops[i]!.byHost === above.host))) break;
    const label = `${h.fromIp}${h.fromHost ? ` (${h.fromHost})` : ''}`;
    found.push({ ip: h.fromIp, host: h.fromHost, hop: i, why: found.length ? `relayed to it by the hop above (hop ${i}): ${label}` : `first Received hop outside the reporter's network (hop ${i}): ${label}` });
  }
  return found;
}

// "spf=pass (…: domain of x@example.com designates 192.0.2.1 as permitted sender)", as receivers record it.
const SPF_PASS = /\bpass\b[^;]{0,300}?designates\s+([0-9a-f:.]{3,45})\s+as permitted sender/gi;

/** Addresses that the receiver's SPF check found authorised for the sender's domain. */
function spfAuthorised(headerText: string): Set<string> {
  return new Set([...headerText.matchAll(SPF_PASS)].map((m) => canonicalIp(m[1]!)).filter((ip): ip is string => ip !== null));
}

/**
 * The recipient's side of a spam's path: the servers of the hops above its
 * first source (addresses and host names that handed it on inside the
 * reporter's provider) and the one that took it from the source. Named in
 * the copy, never accused. Pure.
 */
export function receivingSide(headerText: string, source: SpamSource): { ips: Set<string>; domains: Set<string> } {
  const hops = receivedFields(headerText).map(parseReceived);
  const ips = new Set<string>();
  const domains = new Set<string>();
  const add = (host: string | null): void => {
    if (host) domains.add(registrableDomain(host) ?? host);
  };
  for (let i = 0; i < source.hop && i < hops.length; i++) {
    const h = hops[i]!;
    if (h.fromIp) ips.add(h.fromIp);
    add(h.fromHost);
    add(h.byHost);
  }
  add(hops[source.hop]?.byHost ?? null);
  // A provider that both sends and receives (mail between two of its users): its name stays with the source.
  if (source.host) domains.delete(registrableDomain(source.host) ?? source.host);
  return { ips, domains };
}

// Header fields in which a mail provider names the client that handed it a message (webmail, submission).
const CLIENT_FIELD = /^(?:>[ \t]?)*X-(?:Originating|Sender|Source|Client)-?IP:[ \t]*\[?([0-9a-f:.]{3,45})\]?/gim;

/** The client addresses a copied message's headers name (X-Originating-IP and the like), canonical. */
export function clientAddresses(text: string): string[] {
  return [...text.matchAll(CLIENT_FIELD)].map((m) => canonicalIp(m[1]!)).filter((ip): ip is string => ip !== null);
}
