/**
 * Names people give for themselves in the text of a complaint: "my name is
 * Jane Doe", "I'm Jane Doe", "Hi, this is Jane", "je m'appelle Marie
 * Curie", "je suis Marie", "Bonjour, ici François", "mein Name ist Hans
 * Müller". Pure; each pattern's repetitions are bounded, so a scan is linear.
 */

// One word of a name: letters, with ' ’ - inside ("O'Brien", "Jean-Luc").
const WORD = String.raw`[\p{L}][\p{L}'’-]{0,29}`;
// A capitalised one ("Marie", "O'Brien"), or an initial ("J.").
const CAP_WORD = String.raw`\p{Lu}(?:[\p{Ll}'’-][\p{L}'’-]{0,28}|\.)`;
// Particles inside a name: "Charles de Gaulle", "Ludwig van Beethoven".
const PARTICLE = String.raw`(?:de|du|des|del|della|di|da|dos|van|von|der|den|le|la|ben|bin|al|el|y)`;
const CAP_NAME = String.raw`${CAP_WORD}(?:[ \t]+(?:${PARTICLE}[ \t]+)?${CAP_WORD}){0,3}`;
const ANY_NAME = String.raw`${WORD}(?:[ \t]+${WORD}){0,3}`;

// Said plainly, a name follows whatever its case: "my name is jane doe".
const NAMED = new RegExp(String.raw`(?<![\p{L}])(?:my name is|my name's|my full name is|je m['’]appelle|mon nom est|mon nom, c['’]est|mein name ist|ich hei(?:ß|ss)e)[ \t]*:?[ \t]+(${ANY_NAME})`, 'giu');
// Case-insensitive words in a pattern that must keep case elsewhere (a
// capitalised name): "this is" as [Tt][Hh][Ii][Ss] [Ii][Ss].
const ci = (words: string): string => words.replace(/\p{L}/gu, (ch) => (ch.toLowerCase() === ch.toUpperCase() ? ch : `[${ch.toUpperCase()}${ch.toLowerCase()}]`));

// "I am …" says many things ("I am writing", "je suis victime"): only a capitalised name counts.
const CLAIMED = new RegExp(String.raw`(?<![\p{L}])(?:${['i am', "i['’]m", 'je suis', 'ich bin'].map(ci).join('|')})[ \t]+(${CAP_NAME})`, 'gu');
// "this is Jane" and "ici François" name the writer only at the start of the letter, after a
// greeting: elsewhere "this is PayPal" names the brand a page imitates.
const GREETING = ['hi', 'hello', 'hey', 'good morning', 'good afternoon', 'good evening', 'bonjour', 'bonsoir', 'salut', 'madame', 'monsieur', 'hallo', 'guten tag'].map(ci).join('|');
const OPENING = new RegExp(
  String.raw`^[ \t]*(?:${GREETING}|${ci('dear')}[^,\n]{0,40})[ \t]*[,!.]?[ \t\r\n]{1,4}(?:${['this is', 'ici', 'hier ist', 'hier spricht'].map(ci).join('|')})[ \t]+(${CAP_NAME})`,
  'u',
);

// Words that follow "I am" or "my name is" in capitals without being names.
const NOT_NAMES = new Set(
  [
    'writing', 'reporting', 'contacting', 'sorry', 'sure', 'not', 'the', 'a', 'an', 'from', 'with', 'and', 'or', 'but', 'in', 'on', 'at', 'of', 'to', 'for', 'here',
    'still', 'also', 'very', 'really', 'afraid', 'concerned', 'worried', 'scared', 'victim', 'customer', 'client', 'user', 'member', 'owner', 'admin', 'administrator',
    'et', 'je', 'suis', 'de', 'la', 'le', 'les', 'un', 'une', 'pas', 'très', 'victime', 'cliente', 'utilisateur', 'utilisatrice', 'propriétaire', 'responsable', 'désolé', 'désolée',
    'und', 'ich', 'bin', 'nicht', 'kunde', 'opfer',
  ],
);

/** The words of the names the writer gives for themselves, as written (at least two letters each). */
export function introducedNames(text: string): string[] {
  const head = text.slice(0, 20_000);
  const found: string[] = [];
  const take = (name: string | undefined): void => {
    for (const w of (name ?? '').split(/[ \t]+/)) {
      const word = w.replace(/\.$/, '');
      if (word.length < 2 || NOT_NAMES.has(word.toLowerCase())) {
        // A name stops at the first word that is not one ("my name is Jane and I …").
        if (NOT_NAMES.has(word.toLowerCase())) return;
        continue;
      }
      found.push(word);
    }
  };
  for (const m of head.matchAll(NAMED)) take(m[1]);
  for (const m of head.matchAll(CLAIMED)) take(m[1]);
  take(OPENING.exec(head)?.[1]);
  return found;
}
