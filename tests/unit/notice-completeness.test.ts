import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNotice, type NoticeInput } from '../../src/classify/notice-completeness.ts';
import { loadConfig } from '../../src/config/load.ts';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { composeMail } from '../../src/notify/compose.ts';
import { planAlone } from '../support/fresh-cases.ts';
import { loadTemplates } from '../../src/notify/templates.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';

const url = { kind: 'url' as const, value: 'https://www.example.test/page', host: 'www.example.test' };
const explanation = 'This page publishes my home address and phone number without my consent and invites people to harass me.';
const config = loadConfig({ env: {} });
const base: NoticeInput = { goodFaith: triageSettings(config).rules.goodFaith, category: 'privacy', automated: false, indicators: [url], ownText: `${explanation} I declare in good faith that this is accurate.`, subject: 'Personal data', from: { name: 'Jane Doe', address: 'jane@reporter.test' } };

describe('notice completeness (DSA art. 16(2))', () => {
  const cases: Array<[string, Partial<NoticeInput>, string[]]> = [
    ['a complete notice', {}, []],
    ['no exact location', { indicators: [{ kind: 'host', value: 'example.test', host: 'example.test' }] }, ['location']],
    ['no explanation', { ownText: 'https://www.example.test/page remove it. In good faith.' }, ['explanation']],
    ['no name', { from: { name: '', address: 'jane@reporter.test' } }, ['name']],
    ['no good faith statement', { ownText: explanation }, ['goodFaith']],
    ['a French notice, complete', { ownText: "Cette page publie mon adresse personnelle et mon numéro de téléphone sans mon accord. Je certifie de bonne foi l'exactitude de ces informations." }, []],
    ['csam needs no identity', { category: 'csam', from: null }, []],
  ];
  for (const [name, change, missing] of cases) {
    it(name, () => {
      const r = checkNotice({ ...base, ...change });
      assert.deepEqual(r.missing, missing);
      assert.equal(r.complete, missing.length === 0);
    });
  }

  it('exempts machine reports and network abuse', () => {
    assert.match(checkNotice({ ...base, automated: true }).exempt ?? '', /machine/);
    assert.match(checkNotice({ ...base, category: 'spam', ownText: '' }).exempt ?? '', /network abuse/);
  });
});

describe('the acknowledgement of an incomplete notice', () => {
  it('asks for the missing parts in the reporter language, and a complete one asks for nothing', async () => {
    const directory = await loadDirectory(sourceOf(config.directory));
    const templates = loadTemplates(config.templates.dir);
    const ack = async (raw: Buffer) => {
      const m = await parseMessage(raw, config.limits);
      const d = decide(m, directory, triageSettings(config));
      const [intent] = planAlone(m, d, directory, config);
      return { d, mail: composeMail(intent!, templates, { deskName: 'Desk', from: 'abuse@example.net' }) };
    };
    const fr = await ack(buildSample('latin1', 1).raw); // French phishing notice with no good-faith statement
    assert.deepEqual(fr.d.notice.missing, ['goodFaith']);
    assert.match(fr.mail.text, /merci de répondre à\s+ce message[\s\S]*déclaration attestant que les informations de votre signalement sont exactes/);
    const complete = await ack(buildSample('plain-en', 1).raw);
    assert.equal(complete.d.notice.complete, true, complete.d.why.join('\n'));
    assert.doesNotMatch(complete.mail.text, /please reply to this message/);
  });
});
