const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Phone numbers: + or 0 then 8 or more digits with separators.
const PHONE = /(?<![\w/.])(?:\+|00|0)\d(?:[\s.-]?\(?\d\)?){7,14}(?![\w/])/g;
// Header lines of quoted or forwarded mail name people (From, To, De, À...).
const PARTY_LINE = /^\s*>?\s*(from|to|cc|bcc|reply-to|sender|de|à|a|envoyé par|von|an)\s*:.*$/gimu;
const SIGNATURE = /^-- ?$/m;

/**
 * Removes the complainant's personal details from a complaint excerpt before a
 * customer sees it: e-mail addresses, phone numbers, the complainant's name,
 * quoted header lines and everything after the signature delimiter. Pure.
 */
export function redactExcerpt(text: string, complainantNames: readonly string[], maxChars: number): string {
  if (maxChars <= 0) return '';
  let out = text;
  const sig = SIGNATURE.exec(out);
  if (sig) out = out.slice(0, sig.index);
  out = out.replace(PARTY_LINE, '[header line removed]').replace(EMAIL, '[address removed]').replace(PHONE, '[number removed]');
  for (const name of complainantNames) {
    // Each word of the name on its own: signatures often give only a first name.
    for (const part of name.split(/[\s,]+/).filter((p) => p.length >= 3)) {
      out = out.replace(new RegExp(`(?<![\\p{L}])${escapeRegExp(part)}(?![\\p{L}])`, 'giu'), '[name removed]');
    }
  }
  out = out.replace(/\n{3,}/g, '\n\n').trim();
  return out.length > maxChars ? `${out.slice(0, maxChars)}\n[…]` : out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
