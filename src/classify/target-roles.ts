import ipaddr from 'ipaddr.js';
import type { Indicator } from './extract-targets.ts';
import { splitForward } from './forwards.ts';
import { registrableDomain } from '../directory/names.ts';
import { parseReceived } from './spam-source.ts';
import type { RoleRules } from './rules.ts';

/**
 * What a complaint says of a host, address or account it names: `reported`
 * (what it accuses) or `context` (named, not accused: the reporter's own
 * signature, a share link, the genuine site a phishing page imitates, the
 * victim of an attack, a private address). Only reported targets are matched
 * for notices; context stays in the decision for a person to see.
 */
export type TargetRole = 'reported' | 'context';

export interface RoleDecision {
  role: TargetRole;
  /** The evidence, for the decision's `why`. */
  why: string;
  /** Context only beside a reported address: a private address that is the only address a report accuses is what it is about (anonymised examples, internal incidents). */
  unlessAlone?: boolean;
}

// Addresses no customer of a host or registrar can hold on the Internet.
// Documentation ranges (192.0.2.0/24 and the like, "reserved" to ipaddr.js)
// are left out: examples and tests name them as the reported address.
const UNROUTABLE = new Set(['loopback', 'linkLocal', 'unspecified', 'multicast', 'broadcast']);
// Private ranges: context beside a public address (a log's internal hop), the subject when alone.
const PRIVATE = new Set(['private', 'uniqueLocal']);

// Share and intent links of social networks: a button, never the thing reported.
const SHARE_LINK = /^https?:\/\/(?:[\w-]+\.)*(?:facebook\.com\/(?:sharer|share|dialog\/share)|(?:twitter|x)\.com\/(?:intent|share)|linkedin\.com\/(?:shareArticle|sharing|cws\/share)|pinterest\.[a-z.]+\/pin\/create|reddit\.com\/submit|api\.whatsapp\.com\/send|wa\.me\/\?|t\.me\/share|telegram\.me\/share|mastodonshare\.com|bsky\.app\/intent)/i;
// Unsubscribe and preference pages, in the reporter's own mail (a forwarded spam's own link stays reported).
const UNSUBSCRIBE_LINK = /(?:unsubscribe|optout|opt-out|opt_out|desinscri|désinscri|desabonn|désabonn|list-manage\.com|manage[-_]?preferences|email[-_]?preferences)/i;

const LABEL_LINE = /^[\s\-*•>|#]*([^:=\n]{1,48}?)\s*[:=]\s*(?:[^<>:=\n]{0,60}<|[[("'])?\s*$/;
// A label on its own line over a list, one name per line ("IPs Engaged In Harvesting On Your Network:").
const LIST_ITEM = /^[\s\-*•]*[^\s,;]{1,100}[\s,;]*$/;
// The line introducing the complainant's own site: "contact us … on our website:", "sur notre site :".
const OWN_SITE_INTRO = /(?:\b(?:our|my) (?:web ?)?site|\bnotre site(?: web| internet)?|\bmon site(?: web| internet)?)\s*:$/i;
// The recipient of a forwarded message: the reporter, never the accused.
const RECIPIENT_LABEL = /^(?:to|cc|bcc|à|a|pour|destinataire|delivered-to|envelope-to|x-original-to)$/i;
// Contact details under a client or rights holder: the complainant's side, not the accused.
const CONTACT_LABEL = /^(?:web ?site|site(?: web)?|web|url|e-?mail|courriel|tel|tél|phone|telephone|téléphone|fax|address|adresse)$/i;
const CLIENT_LINE = /^[\s\-*•>|#]*(?:client|company|rights? ?holder|copyright (?:owner|holder)|claimant|complainant|owner|on behalf of|soci[ée]t[ée]|titulaire(?: des droits)?|mandant)\s*[:=]/im;
// An XML or HTML field: <IP_Address>192.0.2.1, <td>Source IP</td><td>…
const XML_LABEL = /<([A-Za-z][\w:.-]{0,40})>\s*$/;
// An attribute: <url_info ip="192.0.2.1">, ip=192.0.2.1.
const ATTRIBUTE_LABEL = /(?:^|[\s,;&?])([A-Za-z][\w.-]{0,40})=["']?$/;
// Field names that name the accused thing without saying source: "IP address", "URL", "Host", "Domain".
const GENERIC_LABEL = /(?:^|[^\p{L}])(?:ip|ips|ip[_ ]?address|address|host|hostname|url|uri|domain|site|website|link)(?:[^\p{L}]|$)/iu;

// Between the cue and the name: at most four words, none saying where the abuse is ("at", "on", "hosted"…), no colon or comma.
// Separators and word characters are disjoint, so the match is linear.
const GAP_WORD = `(?!(?:at|on|in|hosted|located|here|via|is|are|was|under|from|using|with|sur|à|chez|h[ée]berg\\p{L}*|est|dans|depuis|par)(?:[^\\p{L}]|$))[\\p{L}\\p{N}'’&.-]+`;
// No comma: "imitating Nike, http://fake.test" names the fake after the brand.
const GAP = new RegExp(`^[\\s("«“]*(?:${GAP_WORD}(?:[\\s("«“]+${GAP_WORD}){0,3})?[\\s("«“]*$`, 'iu');


const MAX_OCCURRENCES = 20;

// Header fields that trace a message's path or its checks: the relays and signers named there are not what is reported
// (the server that sent a spam is found from Received separately, and stated as reported).
const TRACE_HEADER = /^(?:received|x-received|received-spf|authentication-results|arc-[\w-]+|dkim-signature|x-ms-[\w-]+|x-microsoft-[\w-]+|x-forefront-[\w-]+|x-google-[\w-]+|x-gm-[\w-]+|x-ovh-[\w-]+|x-spam-[\w-]+|message-id|in-reply-to|references)$/i;
const HEADER_START = /^([A-Za-z][\w-]{0,60}):/;
// A signature: the sign-off line and what follows, at most this long.
const SIGNATURE_MAX_LINES = 12;
const SIGNATURE_MAX_CHARS = 1200;

/**
 * The text of a complaint, read once for role decisions: the body, where
 * the reporter's own words end, and where their signature begins.
 * Every lookup is an indexOf over it: linear in the text for each indicator.
 */
export class RoleScan {
  readonly text: string;
  private readonly lower: string;
  private readonly ownEnd: number;
  private readonly signatureAt: number;

  /**
   * The body as it came: a defanged name ("evil[.]test") is not found in it
   * and so stays reported, which is what reporters defang. `rules`: the
   * words of config/rules (roles.*). `ownEnd`: where the reporter's own words
   * end, when the caller has split the body already.
   */
  constructor(
    body: string,
    private readonly rules: RoleRules,
    ownEnd = splitForward(body).ownEnd,
  ) {
    this.text = body;
    this.lower = body.toLowerCase();
    this.ownEnd = ownEnd;
    // The last sign-off in the reporter's own words with only a short block after it (a
    // signature; evidence after a sign-off, as DMCA notices put it, is not one) and words before it.
    const own = this.text.slice(0, this.ownEnd);
    let last = -1;
    const re = this.rules.signOffs;
    re.lastIndex = 0;
    for (let m = re.exec(own); m; m = re.exec(own)) {
      last = m.index;
      if (m[0].length === 0) re.lastIndex++;
    }
    const tail = last >= 0 ? own.slice(last) : '';
    const short = tail.length <= SIGNATURE_MAX_CHARS && tail.split('\n').filter((l) => l.trim()).length <= SIGNATURE_MAX_LINES;
    this.signatureAt = last > 0 && short && own.slice(0, last).trim().length > 0 ? last : Infinity;
  }

  /**
   * What one mention (at offset i) says of the name there: context (with
   * why), reported because a field labels it so ("Source IP:", <IP_Address>),
   * or null: nothing but that it is named.
   */
  private mention(i: number, address = false): { role: TargetRole; why: string } | null {
    if (i >= this.signatureAt && i < this.ownEnd) return { role: 'context', why: "in the reporter's signature" };
    // Relay and signer names in trace headers are context; an address there may be the sender's side (whichever
    // hop a source takes as the spam's origin), so it is left to the rest of the rules.
    const header = this.headerAt(i);
    if (header && !address && TRACE_HEADER.test(header.name)) return { role: 'context', why: `in a ${header.name} header` };
    if (header && address && /^(?:x-)?received$/i.test(header.name)) {
      const internal = this.internalHop(i, header.start);
      if (internal) return { role: 'context', why: internal };
    }
    // The line before the name, at most 120 characters of it (a bounded look back, however long the line).
    const window = this.text.slice(Math.max(0, i - 120), i);
    // A URL's scheme belongs to the name, not to what is said before it.
    // So do the labels of a longer host the name ends ("www." before "correos.es").
    let before = window.slice(window.lastIndexOf('\n') + 1).replace(/(?:[a-z][a-z0-9+.-]{0,9}:\/\/|mailto:)?(?:[a-z0-9-]{1,63}\.){0,4}$/i, '');
    // A name alone on its line, under a line ending with a colon (or under a list of names under one): a label
    // on its own line ("Website:"), or the complainant's own site ("…on our website:"). Other words there
    // ("impersonating our client:") introduce the accused.
    let continued = false;
    if (!before.trim()) {
      const lines = this.text.slice(Math.max(0, i - 1200), i).split('\n').slice(0, -1);
      let k = lines.length - 1;
      while (k > 0 && (!lines[k]!.trim() || LIST_ITEM.test(lines[k]!)) && !lines[k]!.trimEnd().endsWith(':')) k--;
      const line = (lines[k] ?? '').trimEnd();
      if (line.endsWith(':')) {
        if (OWN_SITE_INTRO.test(line)) return { role: 'context', why: "the complainant's own site" };
        before = `${line} `;
        continued = true;
      }
    }
    const found = LABEL_LINE.exec(before) ?? XML_LABEL.exec(before) ?? ATTRIBUTE_LABEL.exec(before);
    // A field name is a few words; a sentence ending in a colon is not one.
    const label = found && found[1]!.trim().split(/\s+/).length <= 8 ? found : null;
    if (label) {
      const name = label[1]!.replace(/_/g, ' ');
      const shown = `labelled "${name.trim().slice(0, 40)}"`;
      if (RECIPIENT_LABEL.test(name.trim())) return { role: 'context', why: `the recipient (${shown})` };
      if (CONTACT_LABEL.test(name.trim()) && CLIENT_LINE.test(this.text.slice(Math.max(0, i - 600), i))) return { role: 'context', why: `in the client's contact details (${shown})` };
      // A label that accuses ("Phishing site", "the website impersonating our client") wins over one naming the client.
      const accuses = this.rules.reportedLabels.test(name);
      if (this.rules.contextLabels.test(name) && !accuses) return { role: 'context', why: shown };
      if (accuses || GENERIC_LABEL.test(name)) return { role: 'reported', why: shown };
      return null;
    }
    // The last cue on the line before the name, with only a short gap between.
    let cue: RegExpExecArray | null = null;
    if (continued) return null;
    const said = before;
    const cues = this.rules.contextCues;
    cues.lastIndex = 0;
    for (let m = cues.exec(said); m; m = cues.exec(said)) cue = m;
    if (cue && GAP.test(said.slice(cue.index + cue[0].length))) return { role: 'context', why: `named after "${cue[0].toLowerCase()}"` };
    return null;
  }

  /**
   * The role of one indicator: context when it is unroutable, a share link,
   * an unsubscribe link in the reporter's own words, or when every mention
   * of it in the body is context (signature, a victim's label, a cue);
   * reported otherwise, including when the body never spells it out (HTML
   * links, attachments).
   */
  roleOf(ind: Indicator): RoleDecision {
    const address = addressOf(ind);
    const range = address ? ipaddr.process(address).range() : null;
    if (range && UNROUTABLE.has(range)) return { role: 'context', why: `${range} address: no customer can hold it` };
    if (ind.kind === 'url' && SHARE_LINK.test(ind.value)) return { role: 'context', why: 'a share link' };
    if (ind.host && (this.rules.referenceDomains.has(registrableDomain(ind.host) ?? ind.host) || /(?:^|\.)safelinks\.protection\.outlook\.com$/.test(ind.host))) {
      return { role: 'context', why: 'a registry, blocklist, reference or link-rewriting service' };
    }
    const needle = (ind.kind === 'url' ? ind.host : ind.value).toLowerCase();
    const mentions = needle ? this.mentions(ind, needle, address !== null) : [];
    const labelled = mentions.find((m) => m?.role === 'reported');
    if (labelled) return { role: 'reported', why: labelled.why };
    if (range && PRIVATE.has(range)) return { role: 'context', why: `${range} address beside public ones`, unlessAlone: true };
    if (!mentions.length) return { role: 'reported', why: 'named' };
    if (mentions.some((m) => m === null)) return { role: 'reported', why: 'named in the complaint' };
    return { role: 'context', why: mentions[0]!.why };
  }

  /**
   * The header field a mention sits in, when its line is a header line or
   * folded under one (looking back at most 12 lines and 4,000 characters).
   */
  private headerAt(i: number): { name: string; start: number } | null {
    // Within the 4,000 characters before the mention, whatever the line lengths.
    const from = Math.max(0, i - 4000);
    const w = this.text.slice(from, i + 1);
    let end = w.length - 1;
    for (let n = 0; n < 12 && end >= 0; n++) {
      const start = w.lastIndexOf('\n', end - 1) + 1;
      const line = w.slice(start, Math.min(start + 80, w.length));
      const name = HEADER_START.exec(line);
      if (name) return { name: name[1]!, start: from + start };
      // Only a folded line (starting with white space) continues a header.
      if (!/^[ \t]/.test(line) || start === 0) return null;
      end = start - 1;
    }
    return null;
  }

  /**
   * Whether an address mentioned at i in a Received field is the receiving
   * side of its hop ("by 2002:a05:…") or a hop inside one provider (its
   * "from" and "by" hosts share a domain): the recipient's provider's relays.
   */
  private internalHop(i: number, fieldStart: number): string | null {
    // From the last "Received:" before the mention (flattened headers run many fields on one line).
    const back = this.text.slice(fieldStart, i);
    const start = fieldStart + Math.max(0, back.toLowerCase().lastIndexOf('received:'));
    const field = this.text.slice(start, Math.min(this.text.length, i + 400)).replace(/\r?\n[ \t]+/g, ' ');
    const lead = this.text.slice(start, i).replace(/\r?\n[ \t]+/g, ' ');
    const by = lead.search(/\sby\s+[^\s]*$|\sby\s+\S+\s+\($/i);
    if (by >= 0 && !/\sfrom\s/i.test(lead.slice(by))) return 'the receiving side of a Received hop';
    const hop = parseReceived(field.slice(field.indexOf(':') + 1));
    const fromDomain = hop.fromHost ? registrableDomain(hop.fromHost) : null;
    const byDomain = hop.byHost ? registrableDomain(hop.byHost) : null;
    return fromDomain && fromDomain === byDomain ? `a relay inside ${byDomain}` : null;
  }

  /** Whether the address at i..i+len is one end of a range ("5.0.0.0 - 5.255.255.255", "10.0.0.0/8" is not one). */
  private inRange(i: number, len: number): boolean {
    const after = this.text.slice(i + len, i + len + 6);
    const before = this.text.slice(Math.max(0, i - 6), i);
    return /^[ \t]*[-–][ \t]*\d/.test(after) || /\d[ \t]*[-–][ \t]*$/.test(before);
  }

  /** What each mention of an indicator in the body says (at most MAX_OCCURRENCES). */
  private mentions(ind: Indicator, needle: string, isAddress: boolean): Array<{ role: TargetRole; why: string } | null> {
    const out: Array<{ role: TargetRole; why: string } | null> = [];
    let from = 0;
    for (let n = 0; n < MAX_OCCURRENCES; n++) {
      const i = this.lower.indexOf(needle, from);
      if (i < 0) break;
      from = i + needle.length;
      // Part of a longer name (evil.example.test inside www.evil.example.test is fine; example.test inside notexample.test is not).
      const prev = this.lower[i - 1];
      if (prev && /[\p{L}\p{N}-]/u.test(prev)) continue;
      if (ind.kind === 'url' && UNSUBSCRIBE_LINK.test(ind.value) && i < this.ownEnd) out.push({ role: 'context', why: "an unsubscribe link in the reporter's own mail" });
      else if (isAddress && ind.kind === 'ip' && this.inRange(i, needle.length)) out.push({ role: 'context', why: 'one end of a network range (whois data)' });
      else out.push(this.mention(i, isAddress));
    }
    return out;
  }
}

/** The IP address an indicator is (an address, or a URL on an address), else null; cheap checks before ipaddr.js. */
function addressOf(ind: Indicator): string | null {
  if (ind.kind === 'ip') return ipaddr.isValid(ind.value) ? ind.value : null;
  if (ind.kind !== 'url' || !/^[\d.]+$|:/.test(ind.host)) return null;
  return ipaddr.isValid(ind.host) ? ind.host : null;
}

/**
 * Roles for all the indicators of a complaint: each read from the text
 * (RoleScan), then private addresses made reported when no other address
 * is.
 */
export function decideRoles(indicators: readonly Indicator[], scan: RoleScan, fixed: (ind: Indicator) => RoleDecision | null): Indicator[] {
  const decided = indicators.map((i) => ({ i, r: fixed(i) ?? scan.roleOf(i) }));
  // Beside a public address the report accuses, a private one is a log's internal hop; otherwise it is the accused.
  const alone = !decided.some(({ i, r }) => r.role === 'reported' && addressOf(i) !== null);
  return decided.map(({ i, r }) =>
    r.unlessAlone && alone ? { ...i, role: 'reported', roleWhy: 'a private address, the only address the report accuses' } : { ...i, role: r.role, roleWhy: r.why },
  );
}
