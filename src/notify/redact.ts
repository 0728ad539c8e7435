import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { splitForward } from '../classify/forwards.ts';
import { EMAIL_ADDRESS } from '../text/email-address.ts';
import { replaceObfuscatedAddresses } from '../text/obfuscated-address.ts';
import { introducedNames } from './self-introduction.ts';
import { withoutTrailingSignature } from './signature-block.ts';

/** Who wrote the complaint: what must not reach the customer. */
export interface Reporter {
  /** Display names from From, Reply-To and Sender. */
  names: readonly string[];
  /** Their addresses: the name part ("salome.r") is a name too. */
  addresses: readonly string[];
}

// Regions whose national formats are read without a "+": the desk's languages'
// and the usual reporters'. International numbers are found in any region.
const REGIONS: readonly CountryCode[] = ['US', 'GB', 'FR', 'DE'];

// Read at most this much past the excerpt's length: redaction costs time per
// character (libphonenumber's matcher above all), and the rest is cut anyway.
const READ_MARGIN = 500;

// Header lines of quoted or forwarded mail name people (From, To, De, À...).
// [ \t] rather than \s: \s crosses lines and made this quadratic on blank lines.
const PARTY_LINE = /^[ \t]*>?[ \t]*(?:from|to|cc|bcc|reply-to|sender|de|à|a|envoyé par|von|an)[ \t]*:[^\n]*$/gimu;
const SIGNATURE_DELIMITER = /^-- ?$/m;
// A sign-off on a line of its own; what follows it is the signature.
const SIGN_OFF =
  /^[ \t]*(?:(?:best|kind|warm|many thanks and|with)?[ \t]*regards|thanks(?: again| in advance)?|thank you(?: very much)?|cheers|sincerely(?: yours)?|yours(?: sincerely| faithfully| truly)?|best(?: wishes)?|respectfully|cordialement|bien cordialement|(?:tr[eè]s )?cordialement|bien [àa] vous|salutations(?: distingu[ée]es)?|meilleures salutations|merci(?: d'avance| par avance| beaucoup)?|sinc[eè]res salutations|mit freundlichen gr(?:ü|ue)(?:ß|ss)en|viele gr(?:ü|ue)(?:ß|ss)e)[ \t]*[,.!]?[ \t]*$/imu;

// Spans that look like numbers but are the complaint's substance: URLs, IPv4
// addresses, dates and times. A phone match overlapping one is not a phone.
const URL = /\b(?:https?|ftp):\/\/[^\s<>"]+/gi;
const PROTECTED = new RegExp(
  `${URL.source}|(?<![\\d.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\d]|\\.\\d)|\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2})?)?|(?<![\\d.])\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}(?![\\d]|[/.]\\d)|\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\b`,
  'gi',
);

// Postal addresses, English, French and German: a street line (number and a
// street word, either order), a postal code before a city, a US state and ZIP,
// a UK postcode. Each repetition is bounded, so every scan is linear.
const STREET_EN = /\b\d{1,5}[A-Za-z]?,?[ \t]+(?:[\p{L}'.-]+[ \t]+){0,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|close|square|sq|parkway|pkwy|highway|hwy|crescent|grove|gardens)\b\.?(?:,?[ \t]*(?:apt|apartment|suite|ste|unit|flat|floor|fl|#)\.?[ \t]*[\w-]{1,6})?/giu;
const STREET_FR = /\b\d{1,4}(?:[ \t]?(?:bis|ter|[a-d]))?,?[ \t]+(?:rue|avenue|av\.|boulevard|bd|place|chemin|all[ée]e|impasse|quai|route|cours|square|r[ée]sidence|lotissement|voie|passage|faubourg)\b[^\n,;]{0,60}/giu;
const STREET_DE = /[\p{L}-]{2,40}(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm)[ \t]+\d{1,4}[a-z]?\b/giu;
const POSTCODE_CITY = /(?<![\d.-])(?:[A-Z]{1,2}-)?\d{4,5}[ \t]+[\p{Lu}][\p{L}'-]{1,30}(?:[ \t-][\p{L}'-]{2,30}){0,2}(?:[ \t]+(?:cedex|CEDEX)(?:[ \t]\d{1,2})?)?/gu;
const US_STATE_ZIP = /\b[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?\b/g;
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b/g;
const BOX = /\b(?:P\.?O\.?|post office)[ \t]*box[ \t]*\d{1,8}\b|\bBP[ \t]*\d{1,6}\b/gi;

/**
 * Removes the reporter's personal details from a complaint excerpt before a
 * customer sees it: e-mail addresses (also obfuscated: "name (at) domain
 * (dot) tld"), phone numbers in any region's written form, postal
 * addresses, every word of the reporter's name (case and accents ignored:
 * their display name, the name they introduce themselves with, the name part
 * of their address and a surname joined to an initial in it), quoted header
 * lines, and the signature: after a sign-off or "-- ", or a block of name,
 * title, company and contact lines at the end with no sign-off. The
 * forwarded message below a signature is kept: it is the complaint's
 * substance. Pure; linear in its input.
 */
export function redactExcerpt(text: string, reporter: Reporter, maxChars: number): string {
  if (maxChars <= 0) return '';
  const { own, forwarded, marker } = splitForward(bounded(text, maxChars + READ_MARGIN));
  // Names the reporter gives for themselves go wherever they appear ("my name is …", "je m'appelle …").
  const introduced = introducedNames(own);
  let out = withoutTrailingSignature(withoutSignature(own));
  if (marker) out += `\n${marker}\n${forwarded}`;
  out = out.replace(PARTY_LINE, '[header line removed]').replace(EMAIL_ADDRESS, '[address removed]');
  out = replaceObfuscatedAddresses(out, '[address removed]');
  out = redactPhones(out);
  for (const re of [STREET_EN, STREET_FR, STREET_DE, POSTCODE_CITY, US_STATE_ZIP, UK_POSTCODE, BOX]) out = out.replace(re, '[address removed]');
  out = redactNames(out, nameWords(reporter, introduced));
  out = out.replace(/\n{3,}/g, '\n\n').trim();
  return out.length > maxChars ? `${out.slice(0, maxChars)}\n[…]` : out;
}

/** The text cut at a line end (or a space) before `max`, so no detail is left half-cut and unrecognisable. */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const cut = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
  return cut > 0 ? head.slice(0, cut) : '';
}

function withoutSignature(own: string): string {
  let end = own.length;
  const delimiter = SIGNATURE_DELIMITER.exec(own);
  if (delimiter) end = delimiter.index;
  const signOff = SIGN_OFF.exec(own.slice(0, end));
  // A sign-off in the first line is a greeting of sorts, not the end of the letter.
  if (signOff && signOff.index > 0) end = signOff.index;
  return own.slice(0, end);
}

// Where a phone number can be: a digit (after an optional "+" or "("), then
// digits and separators, ending in a digit, with an optional extension.
// libphonenumber reads only these spans: read over the whole text in four
// regions it was most of the cost of a notice. Bounded, so linear.
const PHONE_CANDIDATE = /\+?\(?\d[\d \t().\/-]{5,40}\d(?:[ \t]*(?:ext\.?|x)[ \t]*\d{1,6})?/gi;

function redactPhones(text: string): string {
  const protectedSpans = [...text.matchAll(PROTECTED)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const spans: Array<[number, number]> = [];
  for (const candidate of text.matchAll(PHONE_CANDIDATE)) {
    const at = candidate.index!;
    for (const defaultCountry of REGIONS) {
      for (const f of findPhoneNumbersInText(candidate[0], { defaultCountry, leniency: 'POSSIBLE' } as { defaultCountry: CountryCode })) {
        const [start, end] = [at + f.startsAt, at + f.endsAt];
        const overlapsProtected = protectedSpans.some(([a, b]) => start < b && a < end);
        const digits = text.slice(start, end).replace(/\D/g, '').length;
        if (!overlapsProtected && digits >= 7) spans.push([start, end]);
      }
    }
  }
  return replaceSpans(text, spans, '[number removed]');
}

/** Replaces possibly overlapping [start, end) spans, merged, with `label`. */
function replaceSpans(text: string, spans: Array<[number, number]>, label: string): string {
  if (!spans.length) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start >= at) out += text.slice(at, start) + label;
    at = end;
  }
  return out + text.slice(at);
}

// Plain ASCII folds by lower-casing alone, one character for one.
const ASCII = /^[\x00-\x7f]*$/;
const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

// Address name parts that are a desk's or a role's, not a person's: no surname is read from them.
const ROLE_LOCAL_PARTS = new Set([
  'abuse', 'info', 'admin', 'administrator', 'support', 'contact', 'security', 'noc', 'soc', 'postmaster', 'webmaster', 'hostmaster', 'cert', 'csirt', 'report', 'reports',
  'spam', 'phishing', 'noreply', 'help', 'helpdesk', 'office', 'mail', 'team', 'service', 'legal', 'dmca', 'privacy', 'sales', 'hello', 'bonjour', 'accueil', 'secretariat',
]);

/**
 * Words of the reporter's display names, of the names they introduce
 * themselves with, and of their address's name part, folded, at least 3
 * letters (2 for a name they gave). A name part such as "jdoe1979" or
 * "doej" also gives "doe": an initial joined to a surname.
 */
function nameWords(reporter: Reporter, introduced: readonly string[] = []): string[] {
  const words = new Set<string>();
  for (const source of reporter.names) for (const word of fold(source).split(/[^\p{L}]+/u)) if (word.length >= 3) words.add(word);
  for (const name of introduced) for (const word of fold(name).split(/[^\p{L}]+/u)) if (word.length >= 2) words.add(word);
  for (const address of reporter.addresses) {
    for (const word of fold(address.slice(0, address.lastIndexOf('@'))).split(/[^\p{L}]+/u)) {
      if (word.length < 3 || ROLE_LOCAL_PARTS.has(word)) continue;
      words.add(word);
      if (word.length >= 4) words.add(word.slice(1)).add(word.slice(0, -1));
    }
  }
  return [...words];
}

/**
 * Replaces whole words equal to a name word, ignoring case and accents:
 * "Salomé" goes with a From header that says "Salome". The folded copy keeps
 * one character per character of the text (a letter whose folding is not one
 * character is kept as it is), so positions carry over.
 */
function redactNames(text: string, words: readonly string[]): string {
  if (!words.length) return text;
  let folded = '';
  if (ASCII.test(text)) folded = text.toLowerCase();
  else {
    for (const ch of text) {
      const f = ch.charCodeAt(0) < 128 ? ch.toLowerCase() : fold(ch);
      folded += f.length === ch.length ? f : ch;
    }
  }
  const isLetter = (i: number): boolean => i >= 0 && i < folded.length && /\p{L}/u.test(folded[i]!);
  // A URL is the reported location, which the notice names anyway.
  const urls = [...text.matchAll(URL)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const inUrl = (i: number): boolean => urls.some(([a, b]) => i >= a && i < b);
  const spans: Array<[number, number]> = [];
  for (const word of words) {
    for (let at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + word.length)) {
      if (!isLetter(at - 1) && !isLetter(at + word.length) && !inUrl(at)) spans.push([at, at + word.length]);
    }
  }
  return replaceSpans(text, spans, '[name removed]');
}
