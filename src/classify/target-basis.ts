import type { Indicator, TargetBasis } from './indicator.ts';
import type { RoleScan } from './role-scan.ts';
import type { Rules } from './rules.ts';
import { refang } from './refang.ts';
import { registrableDomain } from '../directory/names.ts';
import { mentionsOf } from './role-hints.ts';

/*
 * How sure the desk is that a reported name is what the report is about.
 * Read from the structure of the report, not from more cue words: where the
 * name stands (the reporter's own words, the subject, a labelled field, the
 * copy they forward, a link) and whether the sentence it stands in accuses
 * anything at all (the categories' own wording, the accusing labels:
 * config/rules/triage.yaml). Pure; every look-up is a bounded slice around
 * one of at most MAX_OCCURRENCES mentions.
 */

export interface BasisContext {
  /** The report's text read for roles (built only when some name needs it). */
  scan: () => RoleScan;
  /** The subject as the reporter wrote it; empty for a forward's ("Fwd: …" is the copy's subject). */
  subject: string;
  /** A forward's subject ("FW: Fake pharmacy at …"): it accuses only with words, as the copy's subject may be the spam's own. */
  forwardSubject?: string;
  rules: Rules;
  automated: boolean;
  /** The report's category ('other': nothing is accused by the category alone). */
  category: string;
  /** Whether an offset of the scanned text is in a copy of the abusive mail (forwarded or attached), not the report's own words. */
  inCopy: (at: number) => boolean;
  /** Whether each indicator was stated (fields, feed rows, the spam's source), with the statement. */
  stated: (i: Indicator) => string | null;
}

export interface Basis {
  basis: TargetBasis;
  why: string;
}

/** The report's subjects (refanged, lower case) and its own words refanged, read once for all its names. */
interface Read {
  subject: string;
  forwardSubject: string;
  refanged: () => string;
}

// Lines of nothing but a name (a list item, a bare URL) leave at most this many letters beside it.
const BARE_LINE_LETTERS = 3;
// How far above a bare name its introducing line may be (blank lines and other list items between).
const INTRO_LINES = 6;

/** The basis of every reported indicator (context ones keep none). Pure. */
export function withBasis(indicators: readonly Indicator[], ctx: BasisContext): Indicator[] {
  let defanged: string | null = null;
  // Read once for all the names: the subjects refanged, and (when some name is not written out) the own words.
  const read: Read = {
    subject: ctx.subject ? refang(ctx.subject).toLowerCase() : '',
    forwardSubject: ctx.forwardSubject ? refang(ctx.forwardSubject.replace(/\s+/g, ' ')).toLowerCase() : '',
    refanged: () => (defanged ??= refang(ctx.scan().text.slice(0, ctx.scan().ownEnd)).toLowerCase()),
  };
  const decided = indicators.map((i): Indicator => {
    if (i.role === 'context') return i;
    const statement = ctx.stated(i);
    if (statement) return { ...i, basis: 'stated', basisWhy: statement, shape: `stated: ${statement}` };
    const shape = shapeOf(i, ctx, read);
    if (i.basis) return { ...i, shape };
    const b = basisOf(i, ctx, read);
    return { ...i, basis: b.basis, basisWhy: b.why, shape };
  });
  return ctx.automated ? machineBoilerplate(decided) : soleName(decided, ctx.category);
}

/**
 * A machine report that states or lists what it reports (its fields, its
 * table, the addresses it gives) says all it has to say there: a name its
 * prose only names is its boilerplate (its own portal, a reference, an
 * example), not another target. Pure.
 */
function machineBoilerplate(indicators: Indicator[]): Indicator[] {
  if (!indicators.some((i) => i.role === 'reported' && i.basis === 'stated')) return indicators;
  // In its prose only: a name alone on its line or in a list (under a heading, as Safe Browsing lists its URLs) is what it lists.
  const prose = (i: Indicator): boolean => !!i.shape && !i.shape.includes(' / ') && (i.shape.replace(/<name>/g, '').match(/\p{L}{2,}/gu)?.length ?? 0) >= 4;
  return indicators.map((i) =>
    i.role === 'reported' && i.basis === 'named' && prose(i)
      ? { ...i, role: 'context', roleWhy: 'only named in a machine report that states what it reports', basis: undefined, basisWhy: undefined }
      : i,
  );
}

/**
 * A complaint whose own words give one name only is about that name: "The
 * page below is hosted on your network:" above one URL, in a phishing
 * report, accuses it without a word of the category's. With two names or
 * more, only words tell them apart. Pure.
 */
function soleName(indicators: Indicator[], category: string): Indicator[] {
  if (category === 'other') return indicators;
  const own = (i: Indicator): boolean => i.role === 'reported' && !!i.shape && (i.shape.startsWith('own words:') || i.shape.startsWith('subject:'));
  const keys = new Set(indicators.filter(own).map(nameKey));
  if (keys.size !== 1) return indicators;
  const [key] = keys;
  return indicators.map((i) =>
    own(i) && i.basis === 'named' && nameKey(i) === key ? { ...i, basis: 'accused', basisWhy: `the one name the reporter's own words give, in a ${category} report` } : i,
  );
}

/** One name however it is written: its registrable domain, or the address (or the account). Pure. */
export function nameKey(i: Pick<Indicator, 'kind' | 'value' | 'host'>): string {
  if (i.kind === 'ip' || i.kind === 'account') return i.value.toLowerCase();
  const host = i.host.toLowerCase();
  return registrableDomain(host) ?? host;
}

function basisOf(ind: Indicator, ctx: BasisContext, read: Read): Basis {
  const needle = (ind.kind === 'url' ? ind.host : ind.value).toLowerCase();
  if (!needle) return { basis: 'named', why: 'named' };
  if (read.subject.includes(needle)) return { basis: 'accused', why: 'named in the subject' };
  if (read.forwardSubject) {
    const fwd = read.forwardSubject;
    const at = fwd.indexOf(needle);
    const said = at >= 0 ? accusation(fwd, at, needle.length, ctx.rules) : null;
    if (said) return { basis: 'accused', why: `named in the forwarded subject, ${said}` };
  }
  const scan = ctx.scan();
  let seen = false;
  let inCopy = false;
  for (const i of mentionsOf(scan.lower, needle)) {
    seen = true;
    // What the reporter (person or machine) wrote, or a complaint passed on: its sentences accuse. The abusive copy's do not.
    const own = !ctx.inCopy(i) || scan.signedCopies;
    if (!own) {
      inCopy = true;
      continue;
    }
    if (scan.inSignature(i)) continue;
    const header = scan.headerNameAt(i);
    // The subject of a complaint passed on names what it is about, as the reporter's own subject does.
    if (header && /^subject$/i.test(header)) return { basis: 'accused', why: 'named in the subject of the complaint passed on' };
    if (header) continue;
    // A machine report lists what it reports: an address in its own text, or a name in a row of its table.
    if (ctx.automated && ind.kind === 'ip') return { basis: 'stated', why: 'an address the machine report lists' };
    if (ctx.automated && tableRow(scan.text, i, needle.length)) return { basis: 'stated', why: "a row of the machine report's table" };
    const said = accusation(scan.text, i, needle.length, ctx.rules);
    if (said) return { basis: 'accused', why: said };
  }
  if (!seen) {
    // Not written out as it is: defanged ("evil[.]test") in the reporter's own words, read like any other mention there;
    // or only a link's address or an attachment's name.
    const own = read.refanged();
    for (const i of mentionsOf(own, needle, true)) {
      seen = true;
      const said = accusation(own, i, needle.length, ctx.rules);
      if (said) return { basis: 'accused', why: `${said} (defanged)` };
    }
    if (!seen) return { basis: 'named', why: 'only in a link, with no words about it' };
  }
  return { basis: 'named', why: inCopy ? 'only in the forwarded or attached copy, or with no words about it' : 'named with no words accusing it' };
}

/**
 * Where a name came from, as a correction is recorded against it: the part
 * of the report (subject, own words, copy, signature, a header) and its
 * first line with names, numbers and case evened out ("for more
 * information visit <name>"); a name alone on its line adds the line that
 * introduces it. The same sender's next report of the same form gives the
 * same shape. Pure.
 */
function shapeOf(ind: Indicator, ctx: BasisContext, read: Read): string {
  const needle = (ind.kind === 'url' ? ind.host : ind.value).toLowerCase();
  if (!needle) return 'named';
  if (read.subject.includes(needle)) return `subject: ${template(ctx.subject.toLowerCase(), needle)}`;
  const scan = ctx.scan();
  let text = scan.lower;
  let i = firstMention(text, needle);
  // Where it is written out as it is, the scan says which part it is in; a defanged name is in the own words.
  const written = i >= 0;
  if (!written) {
    text = read.refanged();
    i = firstMention(text, needle);
    if (i < 0) return 'a link';
  }
  const header = written ? scan.headerNameAt(i) : null;
  const part = header ? `header ${header.toLowerCase()}` : written && scan.inSignature(i) ? 'signature' : written && ctx.inCopy(i) ? 'copy' : 'own words';
  const lineStart = text.lastIndexOf('\n', i - 1) + 1;
  const lineEndAt = text.indexOf('\n', i);
  const line = text.slice(Math.max(lineStart, i - 200), Math.min(lineEndAt < 0 ? text.length : lineEndAt, i + needle.length + 200));
  let shape = template(line, needle);
  if (!/\p{L}{2}/u.test(shape.replace(/<name>/g, ''))) {
    const above = text.slice(Math.max(0, lineStart - 1500), Math.max(0, lineStart - 1)).split('\n');
    for (let k = above.length - 1, n = 0; k >= 0 && n < INTRO_LINES; k--, n++) {
      const t = template(above[k]!, needle);
      if (/\p{L}{2}/u.test(t.replace(/<name>/g, ''))) {
        shape = `${t} / ${shape}`;
        break;
      }
    }
  }
  return `${part}: ${shape}`.slice(0, 200);
}

const firstMention = (text: string, needle: string): number => {
  for (const i of mentionsOf(text, needle)) return i;
  return -1;
};

/** A line with its names (links, hosts, addresses) as <name>, digits as #, quote marks and spacing evened out. */
function template(line: string, needle: string): string {
  return line
    .split(needle)
    .join(' <name> ')
    .replace(TOKEN, (t) => (isLink(t) || isName(t) ? '<name>' : t))
    .replace(/\d+/g, '#')
    .replace(/^[\s>]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

/**
 * The accusing words around a mention at i, quoted, or null. For a name
 * alone on its line, the line that introduces it (a list under "These
 * sites host phishing:"). Otherwise its sentence (on its line, joined to
 * the line before when that one runs on, as text wrapped at 72 columns
 * does), where an accusing word accuses the name nearest to it: "the
 * phishing page at evil.test imitates bank.test" accuses evil.test only.
 */
function accusation(text: string, i: number, len: number, rules: Rules): string | null {
  const lineStart = text.lastIndexOf('\n', i - 1) + 1;
  const lineEndAt = text.indexOf('\n', i + len);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt;
  const from = Math.max(lineStart, i - 300);
  const line = text.slice(from, Math.min(lineEnd, i + len + 300));
  const rest = text.slice(from, i) + text.slice(i + len, Math.min(lineEnd, i + len + 300));
  // Beside nothing but links (a URL and the address it is served from) the name is bare too.
  const others = blankLinks(rest);
  if ((others.match(/\p{L}/gu)?.length ?? 0) <= BARE_LINE_LETTERS || /^\S+$/.test(others.replace(/^[\s\-*•>|#\d.)]+/, '').trim()) || tableRow(text, i, len)) {
    // A bare name, or a row of a table: the nearest line above with words that is not itself a bare name or a row.
    const above = text.slice(Math.max(0, lineStart - 1500), Math.max(0, lineStart - 1)).split('\n');
    for (let k = above.length - 1, n = 0; k >= 0 && n < INTRO_LINES; k--, n++) {
      const l = blankLinks(above[k]!.replace(/^[\s>]+/, '')).trim();
      if (!l || /^[\s\-*•|#\d.)]*\S+$/.test(l) || isRow(l)) continue;
      return quoted(rules.anyWording.exec(l.slice(-300)) ?? rules.roles.reportedLabels.exec(l.slice(-300)));
    }
    return null;
  }
  // The sentence: cut at sentence ends on the line.
  const at = i - from;
  const ends = [...line.matchAll(SENTENCE_END)].map((x) => x.index);
  const start = Math.max(0, ...ends.filter((e) => e < at).map((e) => e + 1));
  const end = Math.min(line.length, ...ends.filter((e) => e >= at + len));
  let lead = '';
  if (start === 0 && lineStart > 0) {
    const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    const prev = text.slice(Math.max(prevStart, lineStart - 300), lineStart - 1);
    if (prev.trim() && !/[.!?:]\s*$/.test(prev)) lead = `${prev.slice(Math.max(0, ...[...prev.matchAll(SENTENCE_END)].map((x) => x.index + 1)))}\n`;
  }
  // Words inside a link ("…/DMCA-FAQs.pdf", "/phishing-report/") say nothing of it: links are blanked, keeping offsets.
  // And on to the next lines (up to three, 300 characters) while the sentence does not end.
  let tail = '';
  if (end === line.length && lineEndAt >= 0 && !/[.!?:]\s*$/.test(line)) {
    for (let at = lineEndAt + 1, n = 0; n < 3 && at < text.length && tail.length < 300; n++) {
      const nextEnd = text.indexOf('\n', at);
      const next = text.slice(at, Math.min(nextEnd < 0 ? text.length : nextEnd, at + 300));
      if (!next.trim()) break;
      const stop = [...next.matchAll(SENTENCE_END)].map((x) => x.index + 1)[0];
      tail += `\n${stop === undefined ? next : next.slice(0, stop)}`;
      if (stop !== undefined || /:\s*$/.test(next) || nextEnd < 0) break;
      at = nextEnd + 1;
    }
  }
  const raw = lead + line.slice(start, end) + tail;
  const sentence = blankLinks(raw);
  const self = lead.length + at - start;
  const names = [...raw.matchAll(TOKEN)].filter((x) => isName(x[0])).map((x) => [x.index, x.index + x[0].length] as const);
  for (const re of [rules.anyWording, rules.roles.reportedLabels]) {
    const all = globalOf(re);
    for (const w of sentence.matchAll(all)) {
      const mid = w.index + w[0].length / 2;
      const distance = (a: number, b: number): number => (mid < a ? a - mid : mid > b ? mid - b : 0);
      const mine = distance(self, self + len);
      if (mine > NEAR) continue;
      if (!names.some(([a, b]) => (b <= self || a >= self + len) && distance(a, b) < mine)) return quoted(w);
    }
  }
  return null;
}

/** Whether the name at i is a cell of a table row: three or more cells apart by tabs, bars, commas, semicolons or runs of spaces. */
function tableRow(text: string, i: number, len: number): boolean {
  const start = text.lastIndexOf('\n', i - 1) + 1;
  const endAt = text.indexOf('\n', i + len);
  const line = text.slice(Math.max(start, i - 300), Math.min(endAt < 0 ? text.length : endAt, i + len + 300)).trim();
  return isRow(line);
}

function isRow(line: string): boolean {
  const cells = line.split(/\t|\s*[|;]\s*|\s{2,}/).filter((c) => c.trim());
  return cells.length >= 3 && cells.every((c) => c.length <= 100);
}

const globals = new WeakMap<RegExp, RegExp>();
/** The rule compiled once more with the g flag, to walk every match of a sentence. */
function globalOf(re: RegExp): RegExp {
  let g = globals.get(re);
  if (!g) globals.set(re, (g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)));
  return g;
}

const quoted = (m: RegExpExecArray | RegExpMatchArray | null): string | null => (m ? `beside "${m[0].replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').toLowerCase().slice(0, 40)}"` : null);
// How far from the name an accusing word may stand (characters): a long sentence's far end speaks of something else.
const NEAR = 80;
// A sentence ends at ".", "!" or "?" before white space (a name's dots are followed by letters).
const SENTENCE_END = /[.!?](?=\s)/g;
// Words between white space; each is tested alone, with bounded patterns (linear in the text, whatever it holds).
const TOKEN = /\S+/g;
// A link as written: a scheme, or a host with a path.
const isLink = (t: string): boolean => /^[^\w]*(?:[a-z][a-z0-9+.-]{0,20}:\/\/|www\.)/i.test(t) || /\.[a-z]{2,24}\//i.test(t);
// A name an accusing word may be nearer to: a host name or an address.
const isName = (t: string): boolean => /[a-z0-9-]\.[a-z]{2,24}(?![a-z0-9-])/i.test(t) || /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/.test(t);
/** Links blanked, keeping offsets (words inside a link say nothing of it). */
const blankLinks = (s: string): string => s.replace(TOKEN, (t) => (isLink(t) ? ' '.repeat(t.length) : t));
