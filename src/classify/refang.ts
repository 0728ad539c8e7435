/**
 * Undoes the "defanging" reporters use so indicators are not clickable:
 * hxxp://, [.], (.), [dot], {.}, [:], [://], [/], [@], "http: //" and friends.
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
    .replace(/\s?(?:\[@\]|\(@\)|\[at\]|\(at\))\s?/gi, '@');
}
