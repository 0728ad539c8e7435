import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactExcerpt, type Reporter } from '../../src/notify/redact.ts';

/**
 * Excerpts as reporters write them, in English and French: what must not
 * reach the customer (`leaks`) and the complaint's substance that must
 * (`keeps`). Numbers are in the written forms people use in each country.
 */
interface Row {
  name: string;
  text: string;
  reporter: Reporter;
  leaks: string[];
  keeps: string[];
}

const jane: Reporter = { names: ['Jane Doe'], addresses: ['jane.doe@mail.test'] };
const salome: Reporter = { names: ['Salome R'], addresses: ['salome.r@exemple.test'] };
const francois: Reporter = { names: ['Francois Lefevre'], addresses: ['flefevre@fai.test'] };
const anon: Reporter = { names: [], addresses: ['x7@mail.test'] };
const hans: Reporter = { names: ['Hans Müller'], addresses: ['hans.mueller@web.test'] };
const oliver: Reporter = { names: ['Oliver Twist'], addresses: ['ot@mail.test'] };

const ROWS: Row[] = [
  // United States phone numbers in every usual written form.
  { name: 'US parentheses', text: 'The shop at http://fake-shop.example/buy took my money. Call me at (415) 555-0199.', reporter: jane, leaks: ['555-0199', '(415)'], keeps: ['http://fake-shop.example/buy', 'took my money'] },
  { name: 'US dashes', text: 'Phishing page: https://login-bank.example/verify\nMy number is 415-555-0199 if needed.', reporter: jane, leaks: ['415-555-0199'], keeps: ['https://login-bank.example/verify'] },
  { name: 'US dots', text: 'Spam from 198.51.100.23 all week. Reach me on 415.555.0199.', reporter: jane, leaks: ['415.555.0199'], keeps: ['198.51.100.23', 'all week'] },
  { name: 'US +1', text: 'Malware at http://cdn.bad.example/a.exe\nPhone: +1 415 555 0199', reporter: jane, leaks: ['415 555 0199'], keeps: ['http://cdn.bad.example/a.exe'] },
  { name: 'US with extension', text: 'Please remove http://x.example/p. Office: (212) 555-0147 ext. 12', reporter: oliver, leaks: ['555-0147'], keeps: ['http://x.example/p'] },
  // United Kingdom.
  { name: 'UK London', text: 'The page http://pay.example/uk imitates my bank. Ring 020 7946 0958.', reporter: oliver, leaks: ['7946 0958'], keeps: ['http://pay.example/uk', 'imitates my bank'] },
  { name: 'UK mobile', text: 'Account @scammer123 keeps messaging me. Mobile 07911 123456.', reporter: oliver, leaks: ['07911 123456'], keeps: ['@scammer123', 'keeps messaging me'] },
  { name: 'UK +44', text: 'Spam run from mail.spam.example, 2026-11-20 10:14 UTC. +44 20 7946 0958', reporter: oliver, leaks: ['7946 0958'], keeps: ['mail.spam.example', '2026-11-20 10:14'] },
  { name: 'UK postcode', text: 'They published my home: 10 Downing Street, London SW1A 2AA. The post is at http://forum.example/t/9', reporter: oliver, leaks: ['10 Downing Street', 'SW1A 2AA'], keeps: ['http://forum.example/t/9', 'They published my home'] },
  // France.
  { name: 'FR spaced', text: "Bonjour, le site http://arnaque.example/ vend des contrefaçons. Mon numéro : 01 42 68 53 00.", reporter: francois, leaks: ['01 42 68 53 00', '42 68'], keeps: ['http://arnaque.example/', 'contrefaçons'] },
  { name: 'FR dotted mobile', text: "Hameçonnage sur https://banque-faux.example/connexion\nJoignable au 06.12.34.56.78", reporter: francois, leaks: ['06.12.34.56.78'], keeps: ['https://banque-faux.example/connexion', 'Hameçonnage'] },
  { name: 'FR +33', text: "Le compte @harceleur m'insulte tous les jours. Tél. +33 6 12 34 56 78", reporter: salome, leaks: ['6 12 34 56 78'], keeps: ['@harceleur', "m'insulte tous les jours"] },
  { name: 'FR 0033', text: "Pourriels depuis 203.0.113.45 ; contact 0033 1 42 68 53 00", reporter: francois, leaks: ['42 68 53 00'], keeps: ['203.0.113.45', 'Pourriels'] },
  { name: 'FR street', text: "Il a publié mon adresse : 12 rue des Lilas, 75011 Paris. Voir https://forum.example/sujet/44", reporter: salome, leaks: ['12 rue des Lilas', '75011 Paris'], keeps: ['https://forum.example/sujet/44', 'Il a publié mon adresse'] },
  { name: 'FR avenue bis', text: "Mon adresse, 3 bis avenue Jean Jaurès, 69007 Lyon, circule sur http://site.example/doxx", reporter: salome, leaks: ['avenue Jean Jaurès', '69007 Lyon'], keeps: ['http://site.example/doxx'] },
  { name: 'FR cedex', text: "Courrier : BP 123, 13002 Marseille CEDEX 02. Le site http://faux.example copie le nôtre.", reporter: francois, leaks: ['BP 123', '13002 Marseille'], keeps: ['http://faux.example', 'copie le nôtre'] },
  // Germany.
  { name: 'DE Berlin', text: 'Spam from 192.0.2.44 advertising http://pillen.example. Telefon 030 1234567', reporter: hans, leaks: ['030 1234567', '1234567'], keeps: ['192.0.2.44', 'http://pillen.example'] },
  { name: 'DE mobile', text: 'Betrug über http://shop-betrug.example/kasse. Handy: 0151 23456789', reporter: hans, leaks: ['0151 23456789', '23456789'], keeps: ['http://shop-betrug.example/kasse'] },
  { name: 'DE +49 slash', text: 'Phishing: https://sparkasse-login.example/ Rückruf +49 (0)30 1234 5678', reporter: hans, leaks: ['1234 5678'], keeps: ['https://sparkasse-login.example/'] },
  { name: 'DE street', text: 'Meine Anschrift Musterstraße 12, 10115 Berlin steht auf http://pranger.example/hans', reporter: hans, leaks: ['Musterstraße 12', '10115 Berlin'], keeps: ['http://pranger.example/hans'] },
  // Street addresses in English.
  { name: 'EN street apt', text: 'He posted my address, 1200 Market Street, Apt 4, San Francisco, CA 94103, on http://board.example/post/7', reporter: jane, leaks: ['1200 Market Street', 'Apt 4', 'CA 94103'], keeps: ['http://board.example/post/7', 'He posted my address'] },
  { name: 'EN avenue', text: 'My home at 55 West Elm Avenue was shown in the video https://video.example/v/abc', reporter: jane, leaks: ['55 West Elm Avenue'], keeps: ['https://video.example/v/abc'] },
  { name: 'EN road', text: 'Threats sent to me at 7 Orchard Rd. from @badactor', reporter: oliver, leaks: ['7 Orchard Rd'], keeps: ['@badactor', 'Threats sent to me'] },
  { name: 'EN PO box', text: 'Write to P.O. Box 4411 if you need the originals of the spam from 198.51.100.7.', reporter: jane, leaks: ['Box 4411'], keeps: ['198.51.100.7'] },
  // Names, with and without accents, and the address's name part.
  { name: 'accented signature', text: "Le site http://copie.example reprend mes photos sans autorisation.\nSalomé", reporter: salome, leaks: ['Salomé'], keeps: ['http://copie.example', 'reprend mes photos'] },
  { name: 'name in prose, any case', text: 'I, JANE DOE, confirm that http://fake.example is not my shop. jane.', reporter: jane, leaks: ['JANE', 'DOE', 'jane.'], keeps: ['http://fake.example', 'is not my shop'] },
  { name: 'accent in header, none in text', text: 'Hello, Francois here. The URL http://x.example/phish is phishing.', reporter: { names: ['François Lefèvre'], addresses: ['fl@fai.test'] }, leaks: ['Francois'], keeps: ['http://x.example/phish'] },
  { name: 'accent in text, none in header', text: 'Bonjour, ici François Lefèvre. Le site http://x.example/arnaque est une arnaque.', reporter: francois, leaks: ['François', 'Lefèvre'], keeps: ['http://x.example/arnaque', 'est une arnaque'] },
  { name: 'name only in address', text: 'Spam from 203.0.113.9 again. - salome', reporter: { names: [], addresses: ['salome.r@exemple.test'] }, leaks: ['salome'], keeps: ['203.0.113.9'] },
  { name: 'German umlaut name', text: 'Hier ist Hans Mueller, bitte http://abzocke.example prüfen. Hans Müller', reporter: hans, leaks: ['Hans', 'Müller'], keeps: ['http://abzocke.example'] },
  // Signatures after the usual sign-offs.
  { name: 'Regards signature', text: 'Please stop http://spam.example/offer.\n\nRegards,\nOliver T.\nSenior engineer, Example Corp\nLevel 3', reporter: oliver, leaks: ['Senior engineer', 'Example Corp', 'Level 3'], keeps: ['http://spam.example/offer'] },
  { name: 'Thanks signature', text: 'Malware served from 198.51.100.99/payload.bin.\nThanks,\nJ.\nSecurity at Small Bank', reporter: jane, leaks: ['Security at Small Bank'], keeps: ['198.51.100.99'] },
  { name: 'Cordialement', text: "Le domaine arnaque-colis.example envoie de faux SMS.\n\nCordialement,\nM. Lefèvre\nChef de projet, Société Anonyme", reporter: francois, leaks: ['Chef de projet', 'Société Anonyme'], keeps: ['arnaque-colis.example', 'faux SMS'] },
  { name: 'Bien à vous', text: "Hameçonnage : http://impots-faux.example/remboursement\nBien à vous,\nS.\nAssociation des victimes", reporter: salome, leaks: ['Association des victimes'], keeps: ['http://impots-faux.example/remboursement'] },
  { name: 'Best regards with titles', text: 'DDoS from 192.0.2.200 against our network since 09:00.\nBest regards\nNOC lead\nTel 020 7946 0000', reporter: oliver, leaks: ['NOC lead', '7946 0000'], keeps: ['192.0.2.200', 'since 09:00'] },
  { name: 'dash-dash delimiter', text: 'Phishing kit at https://kit.example/index.php\n-- \nJane D. | ACME Ltd | 1 Main Street', reporter: jane, leaks: ['ACME Ltd', '1 Main Street'], keeps: ['https://kit.example/index.php'] },
  { name: 'signature before a forward keeps the forward', text: 'See the spam below.\nThanks,\nJane Doe\n---------- Forwarded message ---------\nSubject: Cheap pills\nBuy now at http://pills.example/', reporter: jane, leaks: ['Jane', 'Doe'], keeps: ['See the spam below', 'http://pills.example/', 'Cheap pills'] },
  // E-mail addresses and quoted header lines.
  { name: 'own address in text', text: 'Write to me at jane.doe@mail.test about http://fraud.example.', reporter: jane, leaks: ['jane.doe@mail.test'], keeps: ['http://fraud.example'] },
  { name: 'quoted From line', text: 'Forwarding the spam:\nFrom: Jane Doe <jane.doe@mail.test>\nTo: list@lists.test\nBuy at http://buy.example/', reporter: jane, leaks: ['jane.doe@mail.test', 'list@lists.test'], keeps: ['http://buy.example/'] },
  { name: 'French De: line', text: "Transfert :\nDe : Salomé R <salome.r@exemple.test>\nÀ : abuse@example.net\nLe site http://arnaque.example/colis", reporter: salome, leaks: ['salome.r@exemple.test', 'Salomé'], keeps: ['http://arnaque.example/colis'] },
  // Substance that looks like personal data but is not.
  { name: 'dates, times and IPs stay', text: 'Attacks from 203.0.113.77 on 29/11/2026 at 10:30:15 and 2026-11-28T22:10, see http://log.example/1234567890', reporter: anon, leaks: [], keeps: ['203.0.113.77', '29/11/2026', '10:30:15', '2026-11-28T22:10', 'http://log.example/1234567890'] },
  { name: 'URL with long digits stays', text: 'The listing https://market.example/item/4155550199 is counterfeit.', reporter: anon, leaks: [], keeps: ['https://market.example/item/4155550199', 'is counterfeit'] },
  { name: 'mixed English complaint', text: 'Hi, I am Jane Doe of 42 Baker Street. The account @troll99 posted my phone 415-555-0123 and threatened me. Regards, Jane\nJane Doe\n+1 (415) 555-0123', reporter: jane, leaks: ['42 Baker Street', '555-0123', 'Jane', 'Doe'], keeps: ['@troll99', 'threatened me'] },
  { name: 'mixed French complaint', text: "Bonjour, je suis Salomé. Le compte @menace a publié mon numéro 06 98 76 54 32 et mon adresse 8 rue Victor Hugo, 33000 Bordeaux.\nMerci d'avance,\nSalomé R.", reporter: salome, leaks: ['Salomé', '06 98 76 54 32', '8 rue Victor Hugo', '33000 Bordeaux'], keeps: ['@menace', 'a publié mon numéro'] },
  // Self-introductions, in English, French and German: the names go wherever they appear.
  { name: 'EN my name is', text: 'Hello, my name is Marie Curie and the page http://x.example/p copies my photos. Marie', reporter: anon, leaks: ['Marie', 'Curie'], keeps: ['http://x.example/p', 'copies my photos'] },
  { name: "FR je m'appelle", text: "Bonjour, je m'appelle Marie Curie. Le site http://copie.example/galerie publie mes photos.\nMarie", reporter: anon, leaks: ['Marie', 'Curie'], keeps: ['http://copie.example/galerie', 'publie mes photos'] },
  { name: "EN I'm", text: "Hi, I'm John Smith, the owner of the photos at https://stolen.example/album. Smith family photos.", reporter: anon, leaks: ['John', 'Smith'], keeps: ['https://stolen.example/album', 'the owner of the photos'] },
  { name: 'EN this is, after a greeting', text: 'Hello,\nthis is Priya Raman. 198.51.100.20 has been scanning our network since Monday.', reporter: anon, leaks: ['Priya', 'Raman'], keeps: ['198.51.100.20', 'scanning our network'] },
  { name: 'FR ici, after a greeting', text: "Bonjour, ici Léa Martin. Le compte @arnaqueur vend de faux billets.", reporter: anon, leaks: ['Léa', 'Martin'], keeps: ['@arnaqueur', 'vend de faux billets'] },
  { name: 'FR je suis and a name', text: "Je suis Camille Dubois, harcelée par le compte @harceleur depuis un mois. Camille", reporter: anon, leaks: ['Camille', 'Dubois'], keeps: ['@harceleur', 'depuis un mois'] },
  { name: 'EN my name is, lower case', text: 'my name is jane roe and http://fake-shop.example took my money. roe', reporter: anon, leaks: ['jane', 'roe'], keeps: ['http://fake-shop.example', 'took my money'] },
  { name: 'DE mein Name ist', text: 'Guten Tag, mein Name ist Hans Weber. Die Seite http://betrug.example/kasse ist Betrug.', reporter: anon, leaks: ['Hans', 'Weber'], keeps: ['http://betrug.example/kasse', 'ist Betrug'] },
  { name: 'EN I am writing is no name', text: 'I am writing to report http://phish.example/login, a copy of our bank.', reporter: anon, leaks: [], keeps: ['I am writing to report', 'http://phish.example/login', 'a copy of our bank'] },
  { name: 'EN this is a brand without a greeting', text: 'This is PayPal phishing: http://paypa1.example/signin imitates PayPal.', reporter: anon, leaks: [], keeps: ['PayPal phishing', 'imitates PayPal', 'http://paypa1.example/signin'] },
  { name: 'FR je suis victime is no name', text: "Je suis victime d'une arnaque sur http://arnaque.example/commande.", reporter: anon, leaks: [], keeps: ["victime d'une arnaque", 'http://arnaque.example/commande'] },
  // Signature blocks with no sign-off.
  { name: 'one-line signature with an obfuscated address', text: 'Please take down http://phish.example/login\n\nJohn Doe / Senior Analyst, Acme Corp / j.doe (at) privacy (dot) test', reporter: anon, leaks: ['John', 'Doe', 'Senior Analyst', 'Acme Corp', 'privacy (dot) test', 'j.doe'], keeps: ['http://phish.example/login'] },
  { name: 'block of name, title, company, phone', text: 'Spam from 198.51.100.7 every night.\n\nPriya Raman\nSOC Analyst\nNorthwind Traders Ltd\n+44 20 7946 0123', reporter: anon, leaks: ['Priya', 'Raman', 'SOC Analyst', 'Northwind Traders', '7946 0123'], keeps: ['198.51.100.7', 'every night'] },
  { name: 'block right under the last sentence', text: 'The account @troll99 keeps threatening me.\nCamille Dubois\nChargée de communication', reporter: anon, leaks: ['Camille', 'Dubois', 'Chargée de communication'], keeps: ['@troll99', 'keeps threatening me'] },
  { name: 'French block with a postal address', text: "Le site http://faux.example/colis imite La Poste.\n\nLéa Martin\nResponsable sécurité, Société Exemple SA\n12 rue de la Paix, 75002 Paris", reporter: anon, leaks: ['Léa', 'Martin', 'Responsable sécurité', 'Société Exemple', 'rue de la Paix', '75002'], keeps: ['http://faux.example/colis', 'imite La Poste'] },
  { name: 'block with a web site and a phone', text: 'Phishing at https://bank-login.example/x\n\nTom Baker\nCISO | Example Bank plc\nwww.examplebank.test\nTel +44 20 7946 0999', reporter: anon, leaks: ['Tom', 'Baker', 'CISO', 'Example Bank', 'www.examplebank.test', '7946 0999'], keeps: ['https://bank-login.example/x'] },
  { name: 'a first name alone at the end', text: 'The page http://x.example/fake uses my name and photos.\n\nAmelie', reporter: anon, leaks: ['Amelie'], keeps: ['http://x.example/fake', 'uses my name and photos'] },
  { name: 'addresses at the end are evidence', text: 'These addresses attack us:\n203.0.113.5\n203.0.113.6\n198.51.100.9', reporter: anon, leaks: [], keeps: ['203.0.113.5', '203.0.113.6', '198.51.100.9', 'attack us'] },
  { name: 'domains at the end are evidence', text: 'Phishing domains:\npaypal-verify.example\npaypal-login.example', reporter: anon, leaks: [], keeps: ['paypal-verify.example', 'paypal-login.example'] },
  { name: 'a log line at the end is evidence', text: 'Log:\nNov 30 10:00:01 sshd[99]: Failed password for root from 203.0.113.9 port 22', reporter: anon, leaks: [], keeps: ['Failed password for root from 203.0.113.9 port 22'] },
  { name: 'a handle at the end is evidence', text: 'Please check this account:\n@bad_actor_42', reporter: anon, leaks: [], keeps: ['@bad_actor_42'] },
  { name: 'a domain above the name stays', text: 'Please check\nevil-shop.example\nJohn', reporter: anon, leaks: ['John'], keeps: ['evil-shop.example'] },
  // Obfuscated e-mail addresses.
  { name: 'address with [at] and [dot]', text: 'Reach me at jane [at] mail [dot] test about http://scam.example/offer', reporter: anon, leaks: ['jane [at]', 'mail [dot] test'], keeps: ['http://scam.example/offer'] },
  { name: 'address with (at) and (point)', text: "Écrivez-moi : marie(at)exemple(point)fr pour le site http://faux.example", reporter: anon, leaks: ['marie(at)', 'exemple(point)fr'], keeps: ['http://faux.example'] },
  { name: 'address in capitals', text: 'Mail me at j.smith AT corp DOT test, the spam is from 192.0.2.77', reporter: anon, leaks: ['j.smith', 'corp DOT test'], keeps: ['192.0.2.77'] },
  { name: 'address with a spaced @', text: 'Write to jsmith @ corp.test if needed; malware at http://cdn.bad.example/x.exe', reporter: anon, leaks: ['jsmith @ corp.test'], keeps: ['http://cdn.bad.example/x.exe'] },
  { name: 'a defanged site is no address', text: 'The phishing site is hosted at evil dot example and at evil[.]example', reporter: anon, leaks: [], keeps: ['hosted at evil dot example', 'evil[.]example'] },
  { name: 'a handle on another network is no address', text: 'The account @troll.bsky.social posts my photos', reporter: anon, leaks: [], keeps: ['@troll.bsky.social'] },
  // Names read from the reporter's address.
  { name: 'surname joined to an initial and digits', text: 'Hi, Doe here. The page http://fake.example/x is a scam. J. Doe', reporter: { names: [], addresses: ['jdoe1979@mail.test'] }, leaks: ['Doe'], keeps: ['http://fake.example/x', 'is a scam'] },
  { name: 'surname followed by an initial', text: 'Spam from 198.51.100.3 again. -- Curie', reporter: { names: [], addresses: ['curiem@lab.test'] }, leaks: ['Curie'], keeps: ['198.51.100.3'] },
  { name: "a desk's address gives no name", text: 'Please take down http://help.example/desk: we help victims of fraud.', reporter: { names: [], addresses: ['abuse@cert.example'] }, leaks: [], keeps: ['we help victims of fraud', 'http://help.example/desk'] },
];

describe('redactExcerpt: the reporter stays private', () => {
  it('has at least 60 rows', () => assert.ok(ROWS.length >= 60, String(ROWS.length)));
  for (const row of ROWS) {
    it(row.name, () => {
      const out = redactExcerpt(row.text, row.reporter, 1500);
      for (const leak of row.leaks) assert.ok(!out.includes(leak), `"${leak}" survived in: ${out}`);
      for (const keep of row.keeps) assert.ok(out.includes(keep), `"${keep}" was lost from: ${out}`);
    });
  }
});
