import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { splitForward } from '../../src/classify/forwards.ts';
import { detectLanguage } from '../../src/classify/language.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { CORPUS } from '../support/corpus.ts';

const SPAM = 'From: Deals <deals@spam.test>\nSubject: Cheap pills\n\nBuy now at http://pills.spam.test/';

describe('splitForward: each forward style', () => {
  const styles: Array<[string, string, string]> = [
    ['Gmail', 'Please look at this spam.\n\n---------- Forwarded message ---------\n', 'Please look at this spam.'],
    ['Outlook', 'Spam again, see below.\n\n-----Original Message-----\n', 'Spam again, see below.'],
    ['Apple Mail', 'Another one.\n\nBegin forwarded message:\n\n', 'Another one.'],
    ['Apple Mail (fr)', 'Encore un.\n\nDébut du message réexpédié :\n\n', 'Encore un.'],
    ['Thunderbird (fr)', 'Voici le courriel reçu.\n\n-------- Message transféré --------\n', 'Voici le courriel reçu.'],
    ['Outlook (fr)', 'Voir ci-dessous.\n\n-----Message d\'origine-----\n', 'Voir ci-dessous.'],
    ['reply quoting', 'This is still happening.\n\nOn Mon, 3 Nov 2026 at 10:00, Spammer <deals@spam.test> wrote:\n', 'This is still happening.'],
    ['réponse citant', 'Toujours pas réglé.\n\nLe lun. 3 nov. 2026 à 10:00, Spammer <deals@spam.test> a écrit :\n', 'Toujours pas réglé.'],
  ];
  for (const [name, before, own] of styles) {
    it(name, () => {
      const split = splitForward(`${before}${SPAM}`);
      assert.equal(split.own.trim(), own);
      assert.ok(split.marker, 'marker found');
      assert.match(split.forwarded, /Buy now at http:\/\/pills\.spam\.test\//);
    });
  }


  it('leaves quoted ">" lines out of the reporter text, and a message with no forward whole', () => {
    assert.equal(splitForward('My words.\n> quoted spam line\nMore words.').own, 'My words.\nMore words.');
    assert.deepEqual(splitForward('Just a complaint.'), { own: 'Just a complaint.', forwarded: '', marker: null, ownEnd: 17 });
  });
});

describe('detectLanguage', () => {
  it('reads the reporter, not the message they forward', () => {
    const lang = (subject: string, body: string, fallback: 'en' | 'fr') => detectLanguage(subject, splitForward(body).own, body, fallback);
    const fr = lang('Spam', `Bonjour, je reçois ce courriel indésirable tous les jours depuis une semaine, merci de faire le nécessaire auprès de votre client.\n\n---------- Forwarded message ---------\nFrom: x@spam.test\n\n${'Buy the best pills now, cheap prices for everyone, limited offer only today. '.repeat(5)}`, 'en');
    assert.equal(fr.language, 'fr', fr.why);
    const en = lang('Spam', `Hello, I receive this unsolicited mail every day, please ask your customer to stop sending it to me.\n\n-------- Message transféré --------\nDe : x@spam.test\n\n${'Achetez nos meilleures pilules maintenant, des prix imbattables pour tout le monde, offre limitée. '.repeat(5)}`, 'fr');
    assert.equal(en.language, 'en', en.why);
  });

  it('settles a text whose function words are all of one language by them; a mixed one goes to the trigram model', () => {
    const en = 'Hello, this is about the site that you host for your customer: it is a copy of our bank, and we would like it to be taken down, please. Regards.';
    assert.deepEqual(detectLanguage('Phishing', en, en, 'fr'), { language: 'en', why: 'function words: en 13, fr 0' });
    const fr = 'Bonjour, le site que vous hébergez pour votre client est une copie de notre banque, merci de le suspendre dans les meilleurs délais.';
    assert.deepEqual(detectLanguage('Hameçonnage', fr, fr, 'en'), { language: 'fr', why: 'function words: fr 13, en 0' });
    // French with an English word of the list in it: no shortcut, franc reads it as French.
    const mixed = `${fr} Voir the capture jointe.`;
    const d = detectLanguage('Hameçonnage', mixed, mixed, 'en');
    assert.equal(d.language, 'fr');
    assert.match(d.why, /^franc: fra/);
  });

  it('falls back to the configured default when there is nothing to read', () => {
    assert.equal(detectLanguage('', 'http://x.test/ 192.0.2.1', 'http://x.test/ 192.0.2.1', 'fr').language, 'fr');
    assert.equal(detectLanguage('', '', '', 'en').language, 'en');
  });

  const corpus: Array<[string, 'en' | 'fr']> = [
    ['ovh-cerberus-core/lexsicom', 'fr'], // French CERT notice, French subject, empty body
    ['ovh-cerberus-core/sample3', 'fr'],
    ['ovh-cerberus-core/sample9', 'fr'],
    ['abusix-inbound-parsers/bsi.phishing.0.eml', 'en'], // German CERT forwarding a French report, in English
    ['xarf-funzoneq/20130120173004-0.eml', 'en'],
    ['abuseio/feedback-loop/AOL_example_1.eml', 'en'],
  ];
  for (const [file, expected] of corpus) {
    it(`${file} is ${expected}`, async () => {
      const m = await parseMessage(readFileSync(CORPUS + file), { maxMessageBytes: 1e7, maxTextChars: 2e5 });
      const d = detectLanguage(m.subject, splitForward(m.text).own, m.text, expected === 'fr' ? 'en' : 'fr');
      assert.equal(d.language, expected, d.why);
    });
  }
});
