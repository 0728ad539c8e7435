/**
 * E-mail addresses written so that harvesters miss them: "jane (at) mail
 * (dot) test", "jane[at]mail.test", "jane {at} mail {dot} co {dot} uk",
 * "jane @ mail.test", "jane AT mail DOT test". People write their own
 * address this way in signatures; a notice must not carry it.
 *
 * The "at" must be marked (brackets, spaces around "@"), or written in
 * capitals with a "DOT" in capitals too: the lower-case words are how
 * reporters defang the sites they report ("hosted at evil dot com"), which
 * are no one's address. Every repetition is bounded and a match starts only
 * where a run of address characters starts, so a scan is linear in its input.
 */
const LOCAL = String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}`;
const LABEL = String.raw`[\p{L}\p{N}][\p{L}\p{N}-]{0,62}`;
// "(at)", "[at]", "{at}", "<at>", "(@)", "[@]", "_at_", "-at-", or "@" with spaces on both sides
// (one side only is how handles are written: "account @troll.bsky.social").
const MARKED_AT = String.raw`[ \t]{0,3}(?:[([{<][ \t]{0,2}(?:at|@|arobase)[ \t]{0,2}[)\]}>]|_at_|-at-)[ \t]{0,3}|[ \t]{1,3}@[ \t]{1,3}`;
const MARKED_DOT = String.raw`[ \t]{0,3}(?:[([{<][ \t]{0,2}(?:dot|point|\.)[ \t]{0,2}[)\]}>]|_dot_|-dot-)[ \t]{0,3}`;
const ANY_DOT = String.raw`(?:${MARKED_DOT}|[ \t]{1,3}(?:dot|point)[ \t]{1,3}|\.)`;
const END = String.raw`(?![\p{L}\p{N}])`;

const MARKED = new RegExp(`${LOCAL}(?:${MARKED_AT})${LABEL}(?:${ANY_DOT}${LABEL}){1,4}${END}`, 'giu');
// Case matters here: "jane AT mail DOT test".
const CAPITALS = new RegExp(`${LOCAL}[ \\t]{1,3}AT[ \\t]{1,3}${LABEL}(?:(?:[ \\t]{1,3}DOT[ \\t]{1,3}|\\.)${LABEL}){0,3}[ \\t]{1,3}DOT[ \\t]{1,3}${LABEL}${END}`, 'gu');

/** Replaces every obfuscated e-mail address in `text` with `label`. Pure, linear. */
export function replaceObfuscatedAddresses(text: string, label: string): string {
  return text.replace(MARKED, label).replace(CAPITALS, label);
}
