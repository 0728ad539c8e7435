import { EMAIL_ADDRESS } from '../text/email-address.ts';
import { replaceObfuscatedAddresses } from '../text/obfuscated-address.ts';

/**
 * A signature at the end of a letter that no sign-off introduces:
 *
 *     Please take it down.
 *
 *     John Doe
 *     Senior Analyst, Acme Corp
 *     +1 415 555 0199 | j.doe (at) acme (dot) test
 *
 * Read from the last line up: short lines of a name, a job title, a company,
 * a phone number, an address (postal or e-mail, plain or obfuscated), a web
 * site. It stops at a blank line, at a sentence, and at anything that is the
 * complaint's substance (a URL with a path, an IP address, an @handle, a log
 * line). What it found counts as a signature when it starts with a name, a
 * title or a company and holds a name or two other such lines. Pure; one
 * pass over the last lines.
 */

type LineKind = 'name' | 'title' | 'company' | 'phone' | 'email' | 'address' | 'web';

const MAX_LINES = 8;
const MAX_LINE = 100;

const TITLE = new RegExp(
  String.raw`(?<![\p{L}])(?:analyst|engineer|manager|director|officer|lead|head of|specialist|consultant|coordinator|administrator|architect|president|founder|owner|partner|attorney|counsel|lawyer|paralegal|investigator|researcher|ceo|cto|ciso|cio|coo|cfo|vp|svp|evp|team|department|dept\.?|desk|analyste|ing[ée]nieure?|responsable|directeur|directrice|chef|charg[ée]e?|g[ée]rante?|pr[ée]sidente?|juriste|avocate?|conseill[eè]re?|technicien(?:ne)?|service|[ée]quipe|p[ôo]le|gesch[äa]ftsf[üu]hrer(?:in)?|leiter(?:in)?|berater(?:in)?|rechtsanw[äa]lt(?:in)?|abteilung)(?![\p{L}])`,
  'iu',
);
const COMPANY = new RegExp(
  String.raw`(?<![\p{L}])(?:inc|ltd|llc|llp|plc|corp|corporation|company|co|gmbh|ag|sa|s\.a|sas|sarl|s[àa]rl|srl|bv|b\.v|nv|oy|ab|pty|group|holdings?|association|soci[ée]t[ée]|foundation|fondation|university|universit[ée]|bank|banque|agency|agence|ltda|e\.v)\.?(?![\p{L}])`,
  'iu',
);
const PHONE = /(?<![\p{L}])(?:tel|t[ée]l|phone|mobile|mob|cell|fax|portable|handy|telefon)\.?\s*[:.]?\s*\+?[\d(]|(?:\+|00)\d[\d ().\/-]{6,}\d|^\(?\d[\d ().\/-]{7,}\d$/iu;
const POSTAL = /\b\d{1,5}[A-Za-z]?,?[ \t]+(?:[\p{L}'.-]+[ \t]+){0,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|drive|way|rue|all[ée]e|chemin|place|quai)\b|(?<![\d.-])\d{4,5}[ \t]+\p{Lu}\p{L}{1,30}|\b[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b|stra(?:ß|ss)e[ \t]+\d/iu;
const WEB = /^(?:(?:web|site|website|www)\s*:\s*)?(?:https?:\/\/)?(?:www\.)?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+\/?$/iu;
// The complaint's substance: a URL with a path, an IP address, an @handle, a time of day.
const SUBSTANCE = /https?:\/\/[^\s/]+\/\S|(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d])|[0-9a-f]{1,4}:[0-9a-f]{0,4}:[0-9a-f:]{1,30}|(?<![\p{L}\p{N}._%+-])@[\p{L}\p{N}_]{2,}|\b\d{1,2}:\d{2}(?::\d{2})?\b/iu;
const PARTICLE = /^(?:de|du|des|del|della|di|da|dos|van|von|der|den|le|la|ben|bin|al|el|y)$/;
// One word of a name: capitalised (or all capitals), or an initial.
const NAME_WORD = /^(?:\p{Lu}[\p{Ll}'’-][\p{L}'’-]{0,28}|\p{Lu}{2,20}|\p{Lu}\.?)$/u;
// A sentence: terminal punctuation (not an abbreviation's dot), or many words.
const SENTENCE_END = /[!?]$|(?<!\b(?:inc|ltd|corp|co|jr|sr|dr|st|\p{Lu}))\.$|:$/iu;

/** What a line of a signature says (several things, on one line with separators), or null when it cannot be one. */
function kindsOf(line: string): LineKind[] | null {
  const t = line.trim().replace(/^[-–—~*•]+\s*/, '');
  if (!t || t.length > MAX_LINE) return null;
  const withoutAddresses = replaceObfuscatedAddresses(t.replace(EMAIL_ADDRESS, ' '), ' ');
  if (SUBSTANCE.test(withoutAddresses)) return null;
  const words = withoutAddresses.trim().split(/\s+/);
  if (words.length > 12 || (SENTENCE_END.test(t) && words.length > 3)) return null;
  const kinds: LineKind[] = [];
  // The first of several parts ("John Doe / Senior Analyst, Acme Corp / …") may be a name.
  const firstPart = t.split(/\s+[/|·–—-]\s+|,\s+/)[0]!.trim();
  const nameWords = firstPart.split(/\s+/);
  if (nameWords.length <= 4 && nameWords.every((w) => NAME_WORD.test(w) || PARTICLE.test(w)) && nameWords.some((w) => NAME_WORD.test(w) && w.length > 2)) kinds.push('name');
  if (TITLE.test(t)) kinds.push('title');
  if (COMPANY.test(t)) kinds.push('company');
  if (withoutAddresses.length < t.length - 1) kinds.push('email');
  if (PHONE.test(t)) kinds.push('phone');
  if (POSTAL.test(t)) kinds.push('address');
  if (!kinds.length && WEB.test(t)) kinds.push('web');
  return kinds.length ? kinds : null;
}

const STRONG: readonly LineKind[] = ['name', 'title', 'company'];
const DETAIL: readonly LineKind[] = ['title', 'company', 'phone', 'email', 'address'];

/** The text without a trailing signature block as described above (unchanged when there is none). */
export function withoutTrailingSignature(text: string): string {
  const lines = text.split('\n');
  let end = lines.length;
  while (end > 0 && !lines[end - 1]!.trim()) end--;
  const block: LineKind[][] = [];
  let start = end;
  while (start > 0 && block.length < MAX_LINES) {
    const kinds = kindsOf(lines[start - 1]!);
    if (!kinds) break;
    block.unshift(kinds);
    start--;
  }
  // It starts with who they are; lines above that (a site, a number) are the complaint's.
  while (block.length && !block[0]!.some((k) => STRONG.includes(k))) (block.shift(), start++);
  const all = block.flat();
  const isSignature = all.includes('name') || all.filter((k) => DETAIL.includes(k)).length >= 2;
  if (!block.length || !isSignature) return text;
  return lines.slice(0, start).join('\n');
}
