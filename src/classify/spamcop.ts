import type { ParsedMessage } from '../parse/parsed-message.ts';

/*
 * A SpamCop report states its one subject on a line of its own: the spam's
 * source ("Email from 192.0.2.1 / <date>") or the site the spam advertises
 * ("Spamvertised web site: <url>"). A provider passing it on quotes it ("> ").
 */
const SPAMCOP_BANNER = /^(?:>[ \t]?)*\[ SpamCop V[\d.]+ \]/m;
const SPAMCOP_SOURCE = /^(?:>[ \t]?)*Email from ([0-9a-fA-F:.]{3,45}) \//m;
const SPAMCOP_SITE = /^(?:>[ \t]?)*Spamvertised web site: (\S{1,2000})/m;

/** What a SpamCop report in the body or a text part is about, or null when there is none. */
export function readSpamCop(m: ParsedMessage): string | null {
  const text = [m.text, ...m.attachments.filter((a) => a.contentType === 'text/plain').map((a) => a.text ?? '')].find((t) => SPAMCOP_BANNER.test(t));
  if (!text) return null;
  return SPAMCOP_SITE.exec(text)?.[1] ?? SPAMCOP_SOURCE.exec(text)?.[1] ?? null;
}

/** The site a SpamCop report is about, when it is about one (its ARF then names the spam's source as Source-IP). */
export function spamcopSite(m: ParsedMessage): string[] | null {
  const about = readSpamCop(m);
  return about && /^https?:/i.test(about) ? [about] : null;
}
