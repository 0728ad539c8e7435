import { EVIDENCE_ROW, SIGNATURE_MAX_CHARS, SIGNATURE_MAX_LINES } from './role-patterns.ts';

/**
 * The text's signature blocks: each sign-off line and what follows it up
 * to a blank line (at most 12 lines, 1,200 characters). At most 20. Pure.
 */
export function signatureBlocks(text: string, signOffs: RegExp): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = signOffs;
  re.lastIndex = 0;
  for (let m = re.exec(text); m && out.length < 20; m = re.exec(text)) {
    const start = m.index;
    const block = text.slice(start, start + SIGNATURE_MAX_CHARS);
    const lines = block.split('\n');
    let end = start;
    let closed = false;
    // The sign-off line, then the lines up to the first blank one; a list of evidence is no signature.
    for (let k = 0; k < lines.length && k <= SIGNATURE_MAX_LINES; k++) {
      if (k > 0 && !lines[k]!.replace(/^(?:[ \t]*>)+/, '').trim()) {
        closed = true;
        break;
      }
      if (k > 0 && EVIDENCE_ROW.test(lines[k]!)) break;
      end += lines[k]!.length + 1;
    }
    if (closed || start + block.length >= text.length) out.push([start, end]);
    re.lastIndex = Math.max(end, m.index + 1);
  }
  return out;
}
