import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);
let n = 0;
const triage = async (subject: string, body: string) =>
  decide(
    await parseMessage(Buffer.from(`From: Camille <camille@reporter.test>\r\nTo: abuse@example.net\r\nSubject: ${subject}\r\nMessage-ID: <fix.${n++}@reporter.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`), config.limits),
    directory,
    settings,
  );

/** Complaints written by hand from situations desks meet, in English and French (config/rules/triage.yaml). */
describe('categories and priorities of hand-written complaints', () => {
  it('commercial solicitation from a member who harvested a directory is spam', async () => {
    const fr = await triage('Démarchage abusif', "Bonjour,\nUn de vos clients a aspiré l'annuaire de notre association et nos adhérents reçoivent depuis un mois des courriers commerciaux et des sollicitations commerciales répétées de sa part.\nSon site : http://societe-relance.test\nMerci d'intervenir.");
    assert.equal(fr.category, 'spam', fr.why.join('\n'));
    const fr2 = await triage('Prospection', "Bonjour,\nCette entreprise fait de la prospection commerciale auprès de tous les membres de notre club, dont elle a récupéré les coordonnées dans notre annuaire en ligne : http://prospect.test\nCordialement");
    assert.equal(fr2.category, 'spam', fr2.why.join('\n'));
    const en = await triage('Unsolicited letters', 'Hello,\nA member of your platform harvested our member directory and keeps sending unsolicited commercial letters to all our members, see http://mailer-co.test\nThanks');
    assert.equal(en.category, 'spam', en.why.join('\n'));
  });

  it('an announced attack on people is violence, urgent and escalated; a network attack stays an attack', async () => {
    const en = await triage('Threat on your forum', 'Hello,\nA user of your forum posted a manifesto announcing a shooting at the Lincoln high school next Friday, with pictures of his rifles: http://forum.shop.test/t/9911\nPlease act now.');
    assert.equal(en.category, 'violence', en.why.join('\n'));
    assert.equal(en.priority, 'urgent');
    assert.ok(en.actions.some((a) => a.kind === 'escalate'));
    const fr = await triage('Menace sur votre site', "Bonjour,\nUn message publié sur votre site annonce une fusillade au lycée Victor Hugo vendredi prochain, photos d'armes à feu à l'appui : http://forum.shop.test/t/5120");
    assert.equal(fr.category, 'violence', fr.why.join('\n'));
    assert.equal(fr.priority, 'urgent');
    const ddos = await triage('DDoS', 'Hello,\nWe are under a DDoS attack from 203.0.113.45 since this morning, about 2 Gbit/s against our web servers.');
    assert.equal(ddos.category, 'attack');
    assert.notEqual(ddos.priority, 'urgent');
  });

  it('publishing someone’s address or phone again, or calling others to visit them, is urgent', async () => {
    const en = await triage('He did it again', 'He published my home address and phone number again on http://forum.shop.test/u/troll and told his followers to pay me a visit.');
    assert.equal(en.priority, 'urgent', en.why.join('\n'));
    const fr = await triage('Encore', "Il a publié à nouveau mon adresse et mon numéro sur http://forum.shop.test/u/troll et demande à ses abonnés de me rendre visite.");
    assert.equal(fr.priority, 'urgent', fr.why.join('\n'));
  });

  it('an @handle the directory knows is an account target even with accounts.atHandles off; an unknown one is not', async () => {
    assert.equal(settings.atHandles, false);
    const d = await triage('Harassment', 'The account @some_handle keeps insulting me, and so does @nobody_we_know.');
    const accounts = d.targets.filter((t) => t.type === 'account').map((t) => [t.value, t.customerId]);
    assert.deepEqual(accounts, [['some_handle', 'C100']]);
  });

  it('a number that is a category word counts as a word, never inside a reference or a URL', async () => {
    // "419" is the fraud wording; here it is a ticket number and a query value in a phishing report.
    const phishing = await triage('Phishing page, our ticket #419', 'Hello,\nThe page http://login-bank.shop.test/verify?case=419&id=419 is a phishing site imitating our bank (ref: 419).\nPlease take it down.');
    assert.equal(phishing.category, 'phishing', phishing.why.join('\n'));
    assert.ok(!phishing.why.some((w) => /"419"/.test(w)), phishing.why.join('\n'));
    const inPath = await triage('Phishing', 'The phishing kit is at http://www.shop.test/419/index.php and https://shop.test/a/419.html');
    assert.equal(inPath.category, 'phishing', inPath.why.join('\n'));
    // The same number as a word of its own still names the fraud.
    const fraud = await triage('Scam', 'Hello,\nThis is a 419 scheme: they promise millions against a fee, see http://heritage.shop.test');
    assert.equal(fraud.category, 'fraud', fraud.why.join('\n'));
    const fr = await triage('Arnaque', "Bonjour, c'est une fraude « 419 » classique : http://heritage.shop.test");
    assert.equal(fr.category, 'fraud', fr.why.join('\n'));
  });
});
