import ipaddr from 'ipaddr.js';
import type { Indicator, Mention, RoleDecision } from './indicator.ts';
import { splitForward } from './forwards.ts';
import { registrableDomain } from '../directory/names.ts';
import { continuesField, parseReceived } from './spam-source.ts';
import type { RoleRules } from './rules.ts';
import {
  UNROUTABLE, PRIVATE, SHARE_LINK, UNSUBSCRIBE_LINK, LABEL_LINE, LIST_ITEM, OWN_SITE_INTRO, RECIPIENT_LABEL, CONTACT_LABEL, CLIENT_LINE, XML_LABEL, ATTRIBUTE_LABEL, GENERIC_LABEL, GAP, NAME_LEAD, XML_NAMESPACE, IMAGE_SOURCE, HTML_ATTRIBUTE, TRACEROUTE_HOP, TRACEROUTE_DETAIL, ARROW_BEFORE, VERSION_HEADER, MESSAGE_ID, SOCIAL_HOST, SOCIAL_TEXT, HEX_DUMP, PACKET_HEAD, FOOTER_LINKS, HEADING, FIELD_LINE, DNS_BLOCKLIST, DOCUMENT_HOST, ACTIVE_PATH, TRACE_HEADER, HEADER_START, TRACE_SENDER, UNFOLD, SIGNATURE_MAX_LINES, EVIDENCE_ROW, SIGNATURE_MAX_CHARS,
} from './role-patterns.ts';
import { brandOf, forgedSenders } from './sender-authentication.ts';
import { addressOf, isNetworkBlock, lastMatch, mentionsOf } from './role-hints.ts';
import { signatureBlocks } from './signature-blocks.ts';

export interface ScanOptions {
  /**
   * The reporter's mail domains (From, Reply-To, Sender): a machine report's
   * pages on social networks named like them are the reporter's own. (Not a
   * person's: an account imitating them is named like them too.)
   */
  reporterDomains?: readonly string[];
  /** A machine report: its images and footers are decoration, never what it reports. */
  automated?: boolean;
  /**
   * The copies are complaints passed on (a desk forwarding the notice it
   * received), not the abusive mail itself: every signature block in the
   * text is a reporter's. (A spam's or a phishing mail's sign-off block holds its own
   * links, which are what is reported.)
   */
  signedCopies?: boolean;
  /** Addresses on the spam's mail path that are not its source: relays, hops its sender wrote, the client that handed it to the source. */
  pathHops?: ReadonlySet<string>;
}

/**
 * The text of a complaint, read once for role decisions: the body, where
 * the reporter's own words end, and where their signature begins.
 * Every lookup is an indexOf over it: linear in the text for each indicator.
 */
export class RoleScan {
  readonly text: string;
  /** Whether the copies are complaints passed on (their words accuse), not the abusive mail. */
  readonly signedCopies: boolean;
  readonly lower: string;
  /** Where the reporter's own words end (the forwarded or attached copy starts). */
  readonly ownEnd: number;
  private readonly signatureAt: number;
  private readonly reporterBrands: string[];
  private readonly automated: boolean;
  private readonly pathHops: ReadonlySet<string>;
  /** [start, end) of the signature blocks in copies of complaints passed on. */
  private readonly copySignatures: Array<[number, number]> = [];
  /** Sender domains the copied mail's own checks found forged (SPF or DMARC failed, no DKIM pass). */
  private readonly forged: Set<string>;

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
    options: ScanOptions = {},
  ) {
    const reporterDomains = options.automated ? (options.reporterDomains ?? []) : [];
    this.automated = options.automated ?? false;
    this.signedCopies = options.signedCopies ?? false;
    this.pathHops = options.pathHops ?? new Set();
    this.reporterBrands = reporterDomains.map(brandOf).filter((b): b is string => b !== null);
    this.text = body;
    this.lower = body.toLowerCase();
    this.forged = forgedSenders(this.lower);
    this.ownEnd = ownEnd;
    // The last sign-off in the reporter's own words with only a short block after it (a
    // signature; evidence after a sign-off, as DMCA notices put it, is not one) and words before it.
    const own = this.text.slice(0, this.ownEnd);
    const last = lastMatch(this.rules.signOffs, own)?.index ?? -1;
    const tail = last >= 0 ? own.slice(last) : '';
    const tailLines = tail.split('\n');
    const short = tail.length <= SIGNATURE_MAX_CHARS && tailLines.filter((l) => l.trim()).length <= SIGNATURE_MAX_LINES && !tailLines.slice(1).some((l) => EVIDENCE_ROW.test(l));
    this.signatureAt = last > 0 && short && own.slice(0, last).trim().length > 0 ? last : Infinity;
    // Notices passed on one after another (a provider's ticket quoting each notice it received) are each signed.
    if (options.signedCopies) this.copySignatures = signatureBlocks(this.text, this.rules.signOffs);
  }

  /**
   * What one mention (at offset i) says of the name there: context (with
   * why), reported because a field labels it so ("Source IP:", <IP_Address>),
   * or null: nothing but that it is named.
   */
  private mention(i: number, address = false): Mention | null {
    if (i >= this.signatureAt && i < this.ownEnd) return { role: 'context', why: "in the reporter's signature" };
    if (this.copySignatures.some(([a, b]) => i >= a && i < b)) return { role: 'context', why: 'in the signature of a complaint' };
    // Relay and signer names in trace headers are context; an address there may be the sender's side (whichever
    // hop a source takes as the spam's origin), so it is left to the rest of the rules.
    const header = this.headerAt(i);
    if (header && VERSION_HEADER.test(header.name)) return { role: 'context', why: `a software version in a ${header.name} header` };
    if (header && !address && TRACE_HEADER.test(header.name)) {
      // The sender a trace field names ("envelope-from <…>", "smtp.mailfrom=…") is the spam's, not a relay.
      const said = this.text.slice(Math.max(0, i - 40), i);
      if (TRACE_SENDER.test(said)) return null;
      return { role: 'context', why: `in a ${header.name} header` };
    }
    if (header && address && /^(?:x-)?received$/i.test(header.name)) {
      const internal = this.internalHop(i, header.start);
      if (internal) return { role: 'context', why: internal };
    }
    // The line before the name, at most 120 characters of it (a bounded look back, however long the line).
    const window = this.text.slice(Math.max(0, i - 120), i);
    if (XML_NAMESPACE.test(window)) return { role: 'context', why: 'an XML namespace or schema' };
    if (MESSAGE_ID.test(window.slice(-60).replace(/[\w.+=$@-]+$/, ''))) return { role: 'context', why: 'in a message identifier' };
    // An image in the reporter's own words may be what they report (a leaked photo); in a copied mail or a machine report it is decoration.
    if ((i >= this.ownEnd || this.automated) && IMAGE_SOURCE.test(window.replace(NAME_LEAD, ''))) return { role: 'context', why: 'an image the message shows' };
    const lineBefore = window.slice(window.lastIndexOf('\n') + 1);
    if (TRACEROUTE_HOP.test(lineBefore)) {
      const lineEnd = this.text.indexOf('\n', i);
      if (TRACEROUTE_DETAIL.test(lineBefore + this.text.slice(i, Math.min(i + 200, lineEnd < 0 ? this.text.length : lineEnd)))) return { role: 'context', why: 'a hop on a traceroute' };
    }
    if (ARROW_BEFORE.test(lineBefore)) return { role: 'context', why: 'the destination of a logged connection' };
    if (HEX_DUMP.test(lineBefore) || (!address && PACKET_HEAD.test(lineBefore))) return { role: 'context', why: "in a captured packet's payload" };
    if (FOOTER_LINKS.test(this.lineAround(i))) return { role: 'context', why: 'in a row of footer links' };
    // A URL's scheme belongs to the name, not to what is said before it.
    // So do the labels of a longer host the name ends ("www." before "correos.es").
    // A quoted copy ("> hera.example.net - IPv4: …") reads the same.
    let before = window.slice(window.lastIndexOf('\n') + 1).replace(NAME_LEAD, '').replace(/^(?:[ \t]*>)+[ \t]?/, '');
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
        const said = this.introWords(line);
        if (said) return { role: 'context', why: `under a line introducing it as ${said}` };
        before = `${line} `;
        continued = true;
      }
    }
    const found = LABEL_LINE.exec(before) ?? XML_LABEL.exec(before) ?? ATTRIBUTE_LABEL.exec(before);
    // A field name is a few words; a sentence ending in a colon is not one; an HTML attribute is not one either.
    // Nor is the tail of a wrapped trace line ("192.0.2.1 as permitted sender) smtp.mailfrom=").
    const label = found && found[1]!.trim().split(/\s+/).length <= 8 && !HTML_ATTRIBUTE.test(found[1]!.trim()) && !/^\d|^[^(]*\)/.test(found[1]!.trim()) ? found : null;
    if (label) {
      // "Source_IP", "ReporterOrgDomain": words apart.
      const name = label[1]!.replace(/_/g, ' ').replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
      const shown = `labelled "${name.trim().slice(0, 40)}"`;
      if (RECIPIENT_LABEL.test(name.trim())) return { role: 'context', why: `the recipient (${shown})` };
      if (CONTACT_LABEL.test(name.trim()) && CLIENT_LINE.test(this.text.slice(Math.max(0, i - 600), i))) return { role: 'context', why: `in the client's contact details (${shown})` };
      // A label that accuses ("Phishing site", "the website impersonating our client") wins over one naming the client.
      const accuses = this.rules.reportedLabels.test(name);
      if (this.rules.contextLabels.test(name) && !accuses) return { role: 'context', why: shown };
      if (!accuses) {
        const intro = this.introAbove(i);
        if (intro) return { role: 'context', why: `under a line introducing it as ${intro}` };
      }
      if (accuses || GENERIC_LABEL.test(name)) return { role: 'reported', why: shown, inHeader: header !== null, at: i };
      return null;
    }
    if (continued) return null;
    // A link on its own line under its text ("Learn more\n<https://…>", as mail clients render HTML links).
    if (/^\s*[<[]\s*$/.test(before)) {
      const above = this.text.slice(Math.max(0, i - 200), i).replace(NAME_LEAD, '').replace(/\s*[<\[(]?\s*$/, '');
      before = above.slice(above.lastIndexOf('\n') + 1);
    }
    if (SOCIAL_TEXT.test(before) && this.socialAt(i)) return { role: 'context', why: 'a social network link, its text naming the network' };
    // The last cue on the line before the name, with only a short gap between; contact cues in the reporter's own words only.
    // A link's text reads the same ("our client's official site <https://…>", "… [https://…]" as HTML is rendered to text).
    const said = before.replace(/[<[]\s*$/, '');
    for (const cues of i < this.ownEnd ? [this.rules.contextCues, this.rules.contactCues] : [this.rules.contextCues]) {
      const cue = lastMatch(cues, said);
      if (cue && GAP.test(said.slice(cue.index + cue[0].length))) return { role: 'context', why: `named after "${cue[0].toLowerCase()}"` };
    }
    const intro = this.introAbove(i);
    return intro ? { role: 'context', why: `under a line introducing it as ${intro}` } : null;
  }

  /**
   * The line ending with a colon that a mention sits under (skipping the
   * blank lines right above it and a block of "Field: value" lines), when its words make what
   * follows context ("…attacked one of our servers:", "Legitimate site:")
   * and none accuses. At most four lines and 600 characters up.
   */
  private introAbove(i: number): string | null {
    const lines = this.text.slice(Math.max(0, i - 600), i).split('\n').slice(0, -1);
    let inBlock = false;
    for (let k = lines.length - 1, n = 0; k >= 0 && n < 4; k--, n++) {
      const line = lines[k]!.replace(/^\s*(?:>\s?)+/, '').trim();
      // Blank lines right above the mention, then a block of fields without gaps, then the intro.
      if (!line) {
        if (inBlock) return null;
        continue;
      }
      if (FIELD_LINE.test(line) && !line.endsWith(':')) {
        inBlock = true;
        continue;
      }
      // An intro ends with a colon, or is a heading between rules ("--- The material provided to us ---").
      if (!line.endsWith(':') && !HEADING.test(line)) return null;
      return this.introWords(line);
    }
    return null;
  }

  /**
   * The words of config's contextIntros an intro line holds, quoted (the
   * rule's words, not the reporter's), when no accusing word is on it.
   */
  private introWords(line: string): string | null {
    const m = this.rules.contextIntros.exec(line);
    return m && !this.rules.reportedLabels.test(line) ? `"${m[0].replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').toLowerCase()}"` : null;
  }

  /** The line a mention is on, at most 400 characters either side. */
  private lineAround(i: number): string {
    const start = this.text.lastIndexOf('\n', i) + 1;
    const end = this.text.indexOf('\n', i);
    return this.text.slice(Math.max(start, i - 400), Math.min(end < 0 ? this.text.length : end, i + 400));
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
    if (ind.kind === 'url' && SOCIAL_HOST.test(ind.host) && this.isReportersPage(ind.value)) return { role: 'context', why: "the reporter's own page on a social network" };
    // A reporting service's portal under another top-level domain ("manage.spamhaus.com" in mail from spamhaus.org).
    // Machine reports only: a person's complaint about a look-alike of their own domain names it just so.
    if (ind.host && this.reporterBrands.length && this.reporterBrands.includes(brandOf(ind.host) ?? '')) return { role: 'context', why: "the reporting service's own site (its name under another top-level domain)" };
    if (ind.host && (this.rules.referenceDomains.has(registrableDomain(ind.host) ?? ind.host) || this.rules.referenceDomains.has(ind.host) || /(?:^|\.)safelinks\.protection\.outlook\.com$/.test(ind.host) || DNS_BLOCKLIST.test(ind.host))) {
      return { role: 'context', why: 'a registry, blocklist, reference or link-rewriting service' };
    }
    const needle = (ind.kind === 'url' ? ind.host : ind.value).toLowerCase();
    const mentions = needle ? this.mentions(ind, needle, address !== null) : [];
    const labelled = mentions.find((m) => m?.role === 'reported');
    // A relay stays a relay whatever trace field names it ("X-Source-IP" of a forwarded report), unless a
    // report's own field or the reporter's words accuse it ("the spam came in through 192.0.2.1").
    if (ind.kind === 'ip' && this.pathHops.has(ind.value) && !mentions.some((m) => m?.role === 'reported' && !m.inHeader) && !this.namedInOwnWords(needle)) {
      return { role: 'context', why: "on the mail path but not the spam's source (a relay, a hop its sender wrote, or the client that handed it to the source)" };
    }
    if (labelled) {
      // A field the reporter (or the machine report, or a complaint passed on) labels accuses; one in the abusive copy only names.
      const own = !labelled.inHeader && (labelled.at! < this.ownEnd || this.automated || this.signedCopies);
      return { role: 'reported', why: labelled.why, ...(own ? { basis: this.automated ? 'stated' : 'accused' } : {}) };
    }
    if (ind.kind === 'email' && this.rules.contactMailboxes.test(ind.value)) return { role: 'context', why: "a desk's mailbox, to write to" };
    // Its address, its host names, and links to it (a phishing mail links the genuine site it imitates).
    if (this.forged.has(registrableDomain(ind.host) ?? ind.host)) {
      return { role: 'context', why: "the domain of a forged sender: the copied mail's SPF or DMARC check failed for it (the name the mail imitates)" };
    }
    if (ind.kind === 'url' && this.isDocument(ind.value)) return { role: 'context', why: "a documentation or reference page in the reporter's own words" };
    if (range && PRIVATE.has(range)) return { role: 'context', why: `${range} address beside public ones`, unlessAlone: true };
    if (!mentions.length) return { role: 'reported', why: 'named' };
    if (mentions.some((m) => m === null)) return { role: 'reported', why: 'named in the complaint' };
    return { role: 'context', why: mentions[0]!.why };
  }

  /** Whether offset i is in the reporter's signature or a signature of a complaint passed on. */
  inSignature(i: number): boolean {
    return (i >= this.signatureAt && i < this.ownEnd) || this.copySignatures.some(([a, b]) => i >= a && i < b);
  }

  /** The name of the header field a mention at i sits in, or null. */
  headerNameAt(i: number): string | null {
    return this.headerAt(i)?.name ?? null;
  }

  /**
   * The header field a mention sits in, when its line is a header line or
   * folded under one (looking back at most 40 lines and 4,000 characters: a signature's folds are many).
   */
  private headerAt(i: number): { name: string; start: number } | null {
    // Within the 4,000 characters before the mention, whatever the line lengths.
    const from = Math.max(0, i - 4000);
    const w = this.text.slice(from, i + 1);
    let end = w.length - 1;
    for (let n = 0; n < 40 && end >= 0; n++) {
      const start = w.lastIndexOf('\n', end - 1) + 1;
      // A quoted copy ("> Received: …") reads the same.
      const lineEnd = w.indexOf('\n', start);
      const line = w.slice(start, Math.min(start + 80, lineEnd < 0 ? w.length : lineEnd)).replace(/^(?:>[ \t]?)+/, '');
      const name = HEADER_START.exec(line);
      if (name) return { name: name[1]!, start: from + start };
      // Only a folded line (starting with white space) continues a header; some copies put blank lines inside a fold.
      const above = start > 0 ? w.slice(Math.max(w.lastIndexOf('\n', start - 2) + 1, start - 81), start - 1) : '';
      const folded = (n > 0 && !line.trim()) || continuesField(line, above);
      if (!folded || start === 0) return null;
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
    const field = this.text.slice(start, Math.min(this.text.length, i + 400)).replace(UNFOLD, ' ');
    const lead = this.text.slice(start, i).replace(UNFOLD, ' ');
    const by = lead.search(/\sby\s+[^\s]*$|\sby\s+\S+\s+\($/i);
    if (by >= 0 && !/\sfrom\s/i.test(lead.slice(by))) return 'the receiving side of a Received hop';
    const hop = parseReceived(field.slice(field.indexOf(':') + 1));
    const fromDomain = hop.fromHost ? registrableDomain(hop.fromHost) : null;
    const byDomain = hop.byHost ? registrableDomain(hop.byHost) : null;
    return fromDomain && fromDomain === byDomain ? `a relay inside ${byDomain}` : null;
  }

  /** Whether a social network URL is the reporter's page ("facebook.com/Tier.Net" for mail from tier.net). */
  private isReportersPage(url: string): boolean {
    let first: string;
    try {
      first = (new URL(url).pathname.split('/').find((p) => p && p !== 'pages' && p !== 'company' && p !== 'in') ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
    } catch {
      return false;
    }
    return first.length > 0 && this.reporterBrands.some((b) => first.startsWith(b));
  }

  /** Whether the reporter's own words name it outside any header field they pasted. */
  private namedInOwnWords(needle: string): boolean {
    for (const i of mentionsOf(this.lower, needle, true)) {
      if (i >= this.ownEnd) return false;
      if (!this.headerAt(i)) return true;
    }
    return false;
  }

  /** Whether a name first appears in the reporter's own words (before any forwarded or attached message). */
  inOwnWords(name: string): boolean {
    const at = this.lower.indexOf(name.toLowerCase().slice(0, 200));
    return at >= 0 && at < this.ownEnd;
  }

  /** Whether the name at i is the host of a social network's URL (the host, or the host after "https://"). */
  private socialAt(i: number): boolean {
    const host = /^[a-z0-9.-]{1,100}/i.exec(this.text.slice(i, i + 100))?.[0] ?? '';
    return SOCIAL_HOST.test(host);
  }

  /**
   * Whether a URL is a documentation or reference page named in the
   * reporter's own words: a path the config calls reading matter
   * ("/docs/…", "/faq"), and nothing that runs or serves abuse.
   */
  private isDocument(url: string): boolean {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (!(this.rules.documentPaths.test(u.pathname) || DOCUMENT_HOST.test(u.hostname)) || ACTIVE_PATH.test(u.pathname)) return false;
    return this.inOwnWords(url);
  }

  /** Whether the address at i..i+len is one end of a range ("5.0.0.0 - 5.255.255.255", "10.0.0.0/8" is not one). */
  private inRange(i: number, len: number): boolean {
    // A range may be broken over a quoted line ("50.114.0.0 –\n> 50.114.255.255").
    const after = this.text.slice(i + len, i + len + 12);
    const before = this.text.slice(Math.max(0, i - 12), i);
    return /^[^\S\n]*[-–—]\s*(?:>\s*)*\d/.test(after) || /\d[^\S\n]*[-–—]\s*(?:>\s*)*$/.test(before);
  }

  /** What each mention of an indicator in the body says (at most MAX_OCCURRENCES). */
  private mentions(ind: Indicator, needle: string, isAddress: boolean): Array<Mention | null> {
    const out: Array<Mention | null> = [];
    // Not part of a longer name (evil.example.test inside www.evil.example.test is fine; example.test inside notexample.test is not).
    for (const i of mentionsOf(this.lower, needle)) {
      const prev = this.lower[i - 1];
      // A host inside an e-mail address (or a message identifier), directly or as a parent domain
      // ("abuse@staff.example.net"), is said of where that address starts.
      const sub = prev === '.' ? /[a-z0-9.-]{0,253}$/.exec(this.lower.slice(Math.max(0, i - 253), i))![0] : '';
      const at = i - sub.length - 1;
      if (this.lower[at] === '@' && ind.kind !== 'email') {
        const local = /[\w.+=$-]{0,64}$/.exec(this.lower.slice(Math.max(0, at - 64), at))![0];
        // abuse@, noc@…: the provider's desk, named so that someone can write to it.
        if (local && this.rules.contactMailboxes.test(`${local}@`)) out.push({ role: 'context', why: "the domain of a desk's mailbox (abuse@…), to write to" });
        else out.push(this.mention(at - local.length, false));
        continue;
      }
      // An address in a URL's path (".../registry/ip/192.0.2.0") is that page's subject, not a mention of its own.
      if (isAddress && prev === '/' && this.lower[i - 2] !== '/') continue;
      if (ind.kind === 'url' && UNSUBSCRIBE_LINK.test(ind.value) && i < this.ownEnd) out.push({ role: 'context', why: "an unsubscribe link in the reporter's own mail" });
      else if (isAddress && ind.kind === 'ip' && this.inRange(i, needle.length)) out.push({ role: 'context', why: 'one end of a network range (whois data)' });
      else if (isAddress && ind.kind === 'ip' && isNetworkBlock(ind.value, this.text.slice(i + needle.length, i + needle.length + 4))) out.push({ role: 'context', why: 'an allocation of /16 or larger (whois data)' });
      else out.push(this.mention(i, isAddress));
    }
    return out;
  }
}
