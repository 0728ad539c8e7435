import type { Language } from '../config/schema.ts';

// Frequent function words that rarely occur in the other language.
const STOPWORDS: Record<Language, Set<string>> = {
  en: new Set('the and is are was were this that with have has from your you our for not which would there their been will please regarding about hosting site website report'.split(' ')),
  fr: new Set('le la les des est sont une dans pour pas avec vous votre nous notre sur qui que ce cette ces été être merci bonjour madame monsieur signaler concernant hébergé site vos aux du au'.split(' ')),
};

/**
 * Tells French from English by counting function words in the first few
 * thousand characters. Returns `fallback` when neither clearly wins.
 */
export function detectLanguage(text: string, fallback: Language): { language: Language; why: string } {
  const counts: Record<Language, number> = { en: 0, fr: 0 };
  const words = text.slice(0, 5000).toLowerCase().match(/[\p{L}']+/gu) ?? [];
  for (const w of words) {
    for (const lang of ['en', 'fr'] as const) if (STOPWORDS[lang].has(w)) counts[lang]++;
  }
  if (counts.fr >= 2 && counts.fr > counts.en * 1.2) return { language: 'fr', why: `French function words ${counts.fr} vs English ${counts.en}` };
  if (counts.en >= 2 && counts.en > counts.fr * 1.2) return { language: 'en', why: `English function words ${counts.en} vs French ${counts.fr}` };
  return { language: fallback, why: `undecided (fr ${counts.fr}, en ${counts.en}); default ${fallback}` };
}
