import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));

describe('an HTML-only ISO-8859-1 complaint', () => {
  it('is read: text from the HTML, links from href, accents decoded, French detected', async () => {
    const html = '<html><body><p>Bonjour,</p><p>Le site <a href="hxxps://login.registrant[.]test/banque/connexion">ce lien</a> imite ma banque : c\'est un site d\'hameçonnage hébergé chez vous. Merci de le faire fermer au plus vite, il a déjà fait plusieurs victimes dans notre région.</p><p>Cordialement,<br>Hélène Dupré</p></body></html>';
    const raw = Buffer.concat([
      Buffer.from('From: =?ISO-8859-1?Q?H=E9l=E8ne_Dupr=E9?= <helene@reporter.test>\r\nTo: abuse@example.net\r\nSubject: =?ISO-8859-1?Q?Site_d=27hame=E7onnage?=\r\nMessage-ID: <html-latin1@reporter.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'),
      Buffer.from(html.replace(/[^\x20-\x7e]/g, (c) => `=${Buffer.from(c, 'latin1').toString('hex').toUpperCase()}`).replace(/(.{70})/g, '$1=\r\n'), 'latin1'),
    ]);
    const m = await parseMessage(raw, config.limits);
    assert.match(m.text, /site d'hameçonnage hébergé chez vous/);
    assert.equal(m.from?.name, 'Hélène Dupré');
    const d = decide(m, directory, triageSettings(config));
    assert.equal(d.language, 'fr');
    assert.equal(d.category, 'phishing');
    assert.deepEqual(d.targets.map((t) => [t.type, t.value, t.customerId]), [['domain', 'registrant.test', 'C300']]);
    assert.deepEqual(d.targets[0]!.seen, ['https://login.registrant.test/banque/connexion'], 'the defanged href is read');
  });
});
