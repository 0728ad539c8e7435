/**
 * Where a reporter's own words end and a forwarded or quoted message begins,
 * for the forward styles mail clients write in English and French.
 */
const MARKERS: RegExp[] = [
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/im, // Gmail
  /^-{2,}\s*Original Message\s*-{2,}\s*$/im, // Outlook
  /^Begin forwarded message:\s*$/im, // Apple Mail
  /^-{2,}\s*(Message transféré|Message d'origine|Message original)\s*-{2,}\s*$/im, // Thunderbird, Outlook (fr)
  /^Début du message réexpédié\s*:\s*$/im, // Apple Mail (fr)
  /^-{2,}\s*Courriel original\s*-{2,}\s*$/im,
  /^(On .{4,200} wrote|Le .{4,200} a écrit)\s*:\s*$/im, // replies quoting a message
];

export interface ForwardSplit {
  /** The reporter's own text, before the first forwarded or quoted message. */
  own: string;
  /** The forwarded message (its header lines and body), or '' when there is none. */
  forwarded: string;
  /** The marker line that was found. */
  marker: string | null;
  /** Where the reporter's own words end in the text (the marker's offset, or the text's length). */
  ownEnd: number;
}

/** Splits a body at the first forward or quote marker; lines starting with ">" are left out of `own`. Pure. */
export function splitForward(text: string): ForwardSplit {
  let first: { index: number; line: string } | null = null;
  // A reporter's own words come first; markers are looked for near the top.
  const head = text.slice(0, 50_000);
  for (const re of MARKERS) {
    const m = re.exec(head);
    if (m && (!first || m.index < first.index)) first = { index: m.index, line: m[0].trim() };
  }
  const before = first ? text.slice(0, first.index) : text;
  const own = before.split(/\r?\n/).filter((l) => !l.startsWith('>')).join('\n');
  return { own, forwarded: first ? text.slice(first.index + first.line.length).trim() : '', marker: first?.line ?? null, ownEnd: first ? first.index : text.length };
}

// A trace or transport header line: pasted headers, not the reporter's words.
const PASTED_HEADER = /^[ \t>]*(?:Return-Path|Received|Delivered-To|DKIM-Signature|Authentication-Results|ARC-[\w-]+|X-[\w-]+):/im;

/** The reporter's own words up to the first pasted header line (headers pasted with no forward marker before them). Pure. */
export function beforePastedHeaders(own: string): string {
  const at = own.search(PASTED_HEADER);
  return at < 0 ? own : own.slice(0, at);
}
