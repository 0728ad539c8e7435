import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutgoingMail } from '../../src/notify/compose.ts';
import { buildRaw, formatAddress } from '../../src/notify/mime.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';

const mail: OutgoingMail = {
  from: 'Équipe Abuse <abuse@example.net>',
  to: 'reporter@reporter.test',
  subject: '[AD-0123456789] Nous avons bien reçu votre signalement : Hameçonnage\r\nBcc: victim@evil.test',
  text: `Bonjour,\n\nRéférence AD-0123456789. ${'Une ligne très longue. '.repeat(20)}\n.\nFin\n`,
  messageId: '<AD-0123456789.acknowledgement.0011223344556677@example.net>',
  inReplyTo: '<orig@reporter.test>',
  references: ['<older@reporter.test>', '<orig@reporter.test>'],
  headers: { 'Auto-Submitted': 'auto-replied' },
};

describe('buildRaw', () => {
  it('round-trips through a MIME parser: names, subject, body, threading', async () => {
    const m = await parseMessage(buildRaw(mail), { maxMessageBytes: 1e6, maxTextChars: 1e6 });
    assert.deepEqual(m.from, { name: 'Équipe Abuse', address: 'abuse@example.net' });
    assert.equal(m.subject, '[AD-0123456789] Nous avons bien reçu votre signalement : Hameçonnage Bcc: victim@evil.test');
    assert.equal(m.text.replace(/\r\n/g, '\n'), mail.text);
    assert.equal(m.inReplyTo, '<orig@reporter.test>');
    assert.deepEqual(m.references, ['<older@reporter.test>', '<orig@reporter.test>']);
    assert.equal(m.messageId, mail.messageId);
    assert.equal(m.headers['auto-submitted']?.[0], 'auto-replied');
  });

  it('cannot be made to add a header through a value with CR/LF', async () => {
    const m = await parseMessage(buildRaw(mail), { maxMessageBytes: 1e6, maxTextChars: 1e6 });
    assert.equal(m.headers.bcc, undefined);
  });

  it('keeps every line within 78 characters and 7-bit', () => {
    const raw = buildRaw(mail).toString('latin1');
    for (const line of raw.split('\r\n')) {
      assert.ok(line.length <= 78, `line of ${line.length}: ${line}`);
      assert.match(line, /^[\x20-\x7e\t]*$/);
    }
  });
});

describe('formatAddress', () => {
  const cases: Array<[string, string]> = [
    ['abuse@example.net', 'abuse@example.net'],
    ['Abuse Desk <abuse@example.net>', 'Abuse Desk <abuse@example.net>'],
    ['"Desk, Abuse" <abuse@example.net>', '"Desk, Abuse" <abuse@example.net>'],
  ];
  for (const [input, expected] of cases) it(input, () => assert.equal(formatAddress(input), expected));
});
