import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseLink } from '../../src/cases/plan-report.ts';
import { answerToCase } from '../../src/intake/answer-to-case.ts';
import { afterDelivery, settledAcknowledgements } from '../../src/notify/after-delivery.ts';
import type { DeliveryOutcome } from '../../src/notify/deliver-case.ts';
import type { MailIntent } from '../../src/notify/mail-intent.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';

const limits = { maxMessageBytes: 1e6, maxTextChars: 1e5 };
const mail = (from: string, body: string) =>
  parseMessage(Buffer.from(`From: ${from}\r\nTo: abuse@desk.test\r\nSubject: Re: [AD-2026-000007]\r\nMessage-ID: <x@a.test>\r\n\r\n${body}\r\n`), limits);
const link: CaseLink = { key: 'k', customerId: 'C1', targetType: 'server', targetValue: '192.0.2.1', category: 'spam', policy: 'notify' };
const open = { closed: false, link };

describe('a message answering one of our cases', () => {
  it("is the customer's answer from their contact, to a notice or a statement, or at the tagged address; their own words only", async () => {
    const m = await mail('Admin <admin@example.test>', 'Fixed, the script is gone.\n\nOn Monday, abuse@desk.test wrote:\n> Your server sends spam');
    assert.deepEqual(answerToCase(m, { ref: 'AD-2026-000007', via: 'subject' }, open, 'admin@example.test'), { as: 'customer', words: 'Fixed, the script is gone.' });
    const other = await mail('someone@reporter.test', 'Still happening');
    assert.equal(answerToCase(other, { ref: 'AD-2026-000007', via: 'thread', kind: 'notice' }, open, 'admin@example.test').as, 'customer');
    assert.equal(answerToCase(other, { ref: 'AD-2026-000007', via: 'thread', kind: 'statement' }, open, 'admin@example.test').as, 'customer');
    assert.equal(answerToCase(other, { ref: 'AD-2026-000007', via: 'address', tag: 'abc' }, open, 'admin@example.test').as, 'customer');
  });

  it("anyone else's follow-up joins the case; a closed case takes nothing", async () => {
    const m = await mail('someone@reporter.test', 'It is still online');
    assert.deepEqual(answerToCase(m, { ref: 'AD-2026-000007', via: 'thread', kind: 'acknowledgement' }, open, 'admin@example.test'), { as: 'follow-up', link });
    assert.deepEqual(answerToCase(m, { ref: 'AD-2026-000007', via: 'subject' }, { closed: true, link }, 'admin@example.test'), { as: 'none' });
  });
});

describe('after a delivery attempt', () => {
  const ack = { id: 'a1', kind: 'acknowledgement', reportKey: 'msg-1' } as MailIntent;
  const notice = { id: 'n1', kind: 'notice' } as MailIntent;
  const out = (o: Partial<DeliveryOutcome>): DeliveryOutcome => ({ sent: 0, refused: 0, held: 0, pending: [], ...o });

  it('nothing pending is done; a relay failure waits for the relay; "later" is retried; past the window it is a dead letter saying why', () => {
    assert.deepEqual(afterDelivery(out({ sent: 2 }), [ack, notice], 'AD-1', false, 3600), { next: 'done' });
    const relay = out({ pending: [notice], relay: { stage: 'connect', code: 'ECONNREFUSED' } as unknown as DeliveryOutcome['relay'] });
    assert.deepEqual(afterDelivery(relay, [ack, notice], 'AD-1', false, 3600), { next: 'wait-for-relay' });
    assert.deepEqual(afterDelivery(out({ pending: [notice] }), [ack, notice], 'AD-1', false, 3600), { next: 'retry', message: "1 of 2 mails of AD-1 not sent yet: the recipient's server kept saying later" });
    assert.deepEqual(afterDelivery(relay, [ack, notice], 'AD-1', true, 3600), { next: 'dead-letter', reason: 'not sent within delivery.retryForSec (3600 s): our relay failed at connect (ECONNREFUSED)' });
  });

  it("an acknowledgement still pending keeps its complaint's clock running", () => {
    assert.deepEqual(settledAcknowledgements([ack, notice], out({ sent: 2 })), ['msg-1']);
    assert.deepEqual(settledAcknowledgements([ack, notice], out({ pending: [ack] })), []);
  });
});
