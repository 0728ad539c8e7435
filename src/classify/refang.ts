/**
 * Undoes the "defanging" reporters use so indicators are not clickable:
 * hxxp://, [.], (.), [dot], {.}, [:], [://], [/], [@], "http: //", "http://example .com/" and friends.
 */
export function refang(text: string): string {
  return text
    .replace(/\[:\/\/\]|\[:\]\[\/\/\]/g, '://')
    .replace(/\[\/\/?\]/g, (m) => (m.length === 4 ? '//' : '/'))
    .replace(/\bh(?:xx|\*\*|XX)p(s?)(\[?:\]?|:)\/\//g, 'http$1://')
    .replace(/\bh(?:xx|XX)p(s?)\b/g, 'http$1')
    .replace(/\b(https?|ftp)\s*(?:\[:\]|:)\s*\/\s*\//gi, '$1://')
    .replace(/\s?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[punto\]|\[point\])\s?/gi, '.')
    .replace(/\[:\]/g, ':')
    // A space before the top-level domain, right after a scheme ("http://example .com.br/", Google Safe Browsing).
    .replace(/(:\/\/[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}) (\.[a-z]{2,24}(?:\.[a-z]{2})?(?=[/:\s]|$))/gi, '$1$2')
    .replace(/\s?(?:\[@\]|\(@\)|\[at\]|\(at\))\s?/gi, '@');
}
