import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { composeMail } from '../../src/notify/compose.ts';
import { classifyDeliveryError } from '../../src/notify/delivery-error.ts';
import type { MailIntent } from '../../src/notify/mail-intent.ts';
import { mailId } from '../../src/notify/plan-mails.ts';
import { redactExcerpt } from '../../src/notify/redact.ts';
import { loadTemplates } from '../../src/notify/templates.ts';

const config = loadConfig({ env: {} });
const templates = loadTemplates(config.templates.dir);
const base: MailIntent = {
  id: mailId('AD-0123456789', 'acknowledgement', 'x@reporter.test'), kind: 'acknowledgement', to: 'x@reporter.test', language: 'fr',
  caseRef: 'AD-0123456789', category: 'phishing', priority: 'high', receivedAt: '2026-11-20T09:00:00.000Z', automated: false,
  targets: [{ value: 'bad.example', seen: [] }], inReplyTo: '<orig@reporter.test>', references: ['<orig@reporter.test>'], originalSubject: 'Phishing',
};

describe('composeMail', () => {
  it('renders the acknowledgement in the reporter language, threaded, marked automatic', () => {
    const m = composeMail(base, templates, { deskName: 'Desk', from: 'Desk <abuse@example.net>' });
    assert.equal(m.subject, '[AD-0123456789] Nous avons bien reçu votre signalement : Phishing');
    assert.match(m.text, /hameçonnage/);
    assert.equal(m.inReplyTo, '<orig@reporter.test>');
    assert.equal(m.headers['Auto-Submitted'], 'auto-replied');
    assert.match(m.messageId, /^<AD-0123456789\.acknowledgement\.[0-9a-f]{16}@example\.net>$/);
  });

  it('gives the same mail the same Message-ID every time, and another recipient another one', () => {
    assert.equal(mailId('AD-1', 'notice', 'A@x.test'), mailId('AD-1', 'notice', 'a@x.test'));
    assert.notEqual(mailId('AD-1', 'notice', 'a@x.test'), mailId('AD-1', 'notice', 'b@x.test'));
  });

  it('asks for the exact address when a complaint names no target', () => {
    const m = composeMail({ ...base, language: 'en', targets: [] }, templates, { deskName: 'Desk', from: 'abuse@example.net' });
    assert.match(m.text, /please reply with the exact address/);
  });
});

describe('redactExcerpt', () => {
  it('removes the complainant: addresses, phone numbers, name, quoted headers, signature', () => {
    const text = 'Hello, page http://bad.example/x is phishing.\nFrom: Jane Doe <jane@mail.test>\nCall +33 6 12 34 56 78. Jane thanks you.\n-- \nJane Doe, ACME';
    const out = redactExcerpt(text, { names: ['Jane Doe'], addresses: ['jane@mail.test'] }, 1000);
    assert.match(out, /http:\/\/bad\.example\/x/);
    for (const leak of ['jane@mail.test', 'Jane', 'Doe', '12 34', 'ACME']) assert.ok(!out.includes(leak), `${leak} leaked: ${out}`);
  });

  it('cuts long excerpts', () => {
    assert.equal(redactExcerpt('a'.repeat(50), { names: [], addresses: [] }, 10), `${'a'.repeat(10)}\n[…]`);
  });
});

describe('classifyDeliveryError: by where the send failed', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['RCPT TO 550: the recipient refused', { responseCode: 550, code: 'EENVELOPE', command: 'RCPT TO' }, 'refused', 'recipient'],
    ['RCPT TO 452: the recipient said later', { responseCode: 452, code: 'EENVELOPE', command: 'RCPT TO' }, 'deferred', 'recipient'],
    ['554 after DATA: refused', { responseCode: 554, code: 'EMESSAGE', command: 'DATA' }, 'refused', 'data'],
    ['451 after DATA: later', { responseCode: 451, code: 'EMESSAGE', command: 'DATA' }, 'deferred', 'data'],
    ['AUTH 535: our password', { responseCode: 535, code: 'EAUTH', command: 'AUTH PLAIN' }, 'relay', 'auth'],
    ['EAUTH without a reply', { code: 'EAUTH', command: 'API' }, 'relay', 'auth'],
    ['MAIL FROM 550: our sender policy', { responseCode: 550, code: 'EENVELOPE', command: 'MAIL FROM' }, 'relay', 'sender'],
    ['connection refused', { code: 'ECONNECTION', command: 'CONN' }, 'relay', 'connection'],
    ['timeout', { code: 'ETIMEDOUT' }, 'relay', 'connection'],
    ['STARTTLS failed', { code: 'ETLS', command: 'STARTTLS' }, 'relay', 'tls'],
    ['greeting 554', { responseCode: 554, code: 'EPROTOCOL', command: 'CONN' }, 'relay', 'connection'],
    ['socket closed during DATA, no reply', { code: 'ESOCKET', command: 'DATA' }, 'relay', 'data'],
    ['malformed recipient address', { code: 'EENVELOPE', command: 'API', message: 'Invalid recipient "x"' }, 'refused', 'recipient'],
    ['an error of ours', new TypeError('bug'), 'relay', 'unknown'],
  ];
  for (const [name, err, failure, stage] of cases) {
    it(`${name} → ${failure} (${stage})`, () => {
      const c = classifyDeliveryError(err);
      assert.equal(c.failure, failure);
      assert.equal(c.stage, stage);
    });
  }
});
