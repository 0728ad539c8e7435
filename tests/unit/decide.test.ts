import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { buildSample, SAMPLE_KINDS } from '../../src/dev/sample-complaints.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';
import type { Verdict } from '../../src/triage/verdict.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = { ...triageSettings(config), ownDomains: ['example.net'], defaultLanguage: 'en' as const, profileUrlPatterns: [], atHandles: false };
const limits = { maxMessageBytes: 1e6, maxTextChars: 1e6 };

async function triage(raw: string | Buffer): Promise<Verdict> {
  return decide(await parseMessage(Buffer.isBuffer(raw) ? raw : Buffer.from(raw.replace(/\n/g, '\r\n')), limits), directory, settings);
}
const kinds = (d: Verdict) => d.actions.map((a) => (a.kind === 'notify' ? `notify:${a.customerId}` : a.kind === 'acknowledge' ? `ack:${a.language}` : 'escalate'));

describe('decide', () => {
  for (const kind of SAMPLE_KINDS) {
    it(`sample ${kind}: the right replies`, async () => {
      const s = buildSample(kind, 1);
      const d = await triage(s.raw);
      const acks = d.actions.filter((a) => a.kind === 'acknowledge');
      assert.deepEqual(acks.map((a) => a.kind === 'acknowledge' && `${a.to}/${a.language}`), s.ackTo ? [`${s.ackTo}/${s.ackLanguage}`] : []);
      const notices = d.actions.filter((a) => a.kind === 'notify').map((a) => a.kind === 'notify' && a.to);
      assert.deepEqual(notices, s.noticeTo);
    });
  }

  it('escalates csam to a human and never notifies the customer', async () => {
    const d = await triage(`From: Pat <pat@reporter.test>\nTo: abuse@example.net\nSubject: child sexual abuse material\nMessage-ID: <c@reporter.test>\n\nThere is child sexual abuse material at http://www.example.test/gallery/\n`);
    assert.equal(d.category, 'csam');
    assert.equal(d.priority, 'urgent');
    assert.deepEqual(kinds(d), ['ack:en', 'escalate']);
    assert.equal(d.targets[0]?.customerId, 'C100', 'the owner is still recorded on the case');
  });

  it('makes a death threat urgent: the customer is told and a human alerted', async () => {
    const d = await triage(`From: Sam <sam@reporter.test>\nTo: abuse@example.net\nSubject: threats\nMessage-ID: <t@reporter.test>\n\nThe user of http://www.example.test/forum keeps posting death threats against me.\n`);
    assert.equal(d.priority, 'urgent');
    assert.deepEqual(kinds(d), ['ack:en', 'notify:C100', 'escalate']);
  });

  it('answers nobody at our own domains or at no-reply addresses', async () => {
    for (const from of ['staff@mail.example.net', 'noreply@reporter.test', 'do-not-reply@reporter.test']) {
      const d = await triage(`From: ${from}\nTo: abuse@example.net\nSubject: phishing\nMessage-ID: <${from}>\n\nphishing at http://www.example.test/x\n`);
      assert.ok(!kinds(d).some((k) => k.startsWith('ack')), from);
      assert.ok(kinds(d).includes('notify:C100'), `${from}: the customer is still told`);
    }
  });

  it('replies to Reply-To rather than From, in French when the complaint is French', async () => {
    const d = await triage(`From: Robot <robot@forms.test>\nReply-To: Claire <claire@reporter.test>\nTo: abuse@example.net\nSubject: Signalement\nMessage-ID: <f@forms.test>\n\nBonjour, je vous signale une arnaque sur le site https://boutique.shop.test/ merci de faire le nécessaire.\n`);
    assert.deepEqual(d.actions[0], { kind: 'acknowledge', to: 'claire@reporter.test', language: 'fr' });
    assert.equal(d.category, 'fraud');
  });

  it('keeps a target nobody owns, with no customer', async () => {
    const d = await triage(`From: a@reporter.test\nTo: abuse@example.net\nSubject: spam\nMessage-ID: <u@reporter.test>\n\nspam advertising http://elsewhere.test/buy\n`);
    assert.deepEqual(d.targets.map((t) => [t.type, t.value, t.customerId]), [['server', 'elsewhere.test', null]]);
    assert.deepEqual(kinds(d), ['ack:en']);
  });
});
