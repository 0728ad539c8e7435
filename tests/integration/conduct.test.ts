import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const VICTIM = 'mia.lopez@reporter.test';
const mail = (n: number, subject: string, words: string): Buffer =>
  Buffer.from(`From: Mia Lopez <${VICTIM}>\r\nTo: abuse@example.net\r\nSubject: ${subject}\r\nMessage-ID: <conduct.${n}@reporter.test>\r\n\r\n${words}\r\n\r\nMia\r\n`);

// One person about one account, in three wordings: harassment, doxxing, a threat.
const REPORTS = [
  mail(1, 'Account some_handle', 'The account @some_handle keeps insulting me and sends me abusive messages every day. It is constant harassment and I want it to stop.'),
  mail(2, 'Account some_handle again', 'Now @some_handle has published my home address and my phone number in a post for everyone to see.'),
  mail(3, 'Please help', 'The account @some_handle wrote that they will come to my house and kill me.'),
];

/**
 * Conduct against a person through the running service: a victim's three
 * reports about one account, arriving one after the other and worded as
 * harassment, doxxing and a threat, are one case that takes the most severe
 * category and rises in priority; she is answered each time; the account
 * holder hears nothing before a person looks.
 */
describe('conduct against a person', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({ desk: { escalateTo: 'oncall@desk.test' }, accounts: { atHandles: true } });
    await stack.start(['poller', 'triage', 'notify']);
  });

  after(async () => {
    await stack?.stop();
  });

  it('is one case whatever the wording, with the most severe category, its priority raised', async () => {
    const priorities: string[] = [];
    for (const [i, raw] of REPORTS.entries()) {
      await stack.append([raw]);
      await stack.until(async () => (await listCases(stack.cases.pool)).some((c) => c.target === 'some_handle' && c.reports === i + 1), 30_000, `report ${i + 1} on the case`);
      priorities.push((await listCases(stack.cases.pool)).find((c) => c.target === 'some_handle')!.priority);
    }
    const cases = (await listCases(stack.cases.pool, { all: true })).filter((c) => c.target === 'some_handle');
    assert.equal(cases.length, 1, `one case: ${cases.map((c) => `${c.ref} ${c.category}`).join(', ')}`);
    const c = (await showCase(stack.cases.pool, cases[0]!.ref))!;
    assert.equal(c.category, 'violence', 'the most severe wording');
    assert.equal(c.status, 'awaiting_review');
    assert.deepEqual(priorities, ['high', 'urgent', 'urgent'], 'harassment is high; her second report raised it');
    assert.deepEqual(c.history.filter((h) => h.kind === 'category').map((h) => [(h.detail as { from: string }).from, (h.detail as { to: string }).to]), [['harassment', 'privacy'], ['privacy', 'violence']]);
    assert.ok(c.history.some((h) => h.kind === 'priority' && (h.detail as { to: string }).to === 'urgent'));

    // Every report answered, with the one case; the account's owner gets nothing; a person is alerted once.
    await stack.until(async () => (await readSent(stack.sink.mails)).filter((m) => m.to === VICTIM).length === 3, 20_000, 'three acknowledgements');
    await sleep(500);
    const sent = await readSent(stack.sink.mails);
    assert.ok(sent.filter((m) => m.to === VICTIM).every((m) => m.text.includes(c.ref)));
    assert.equal(sent.filter((m) => m.to === 'admin@example.test').length, 0, 'nothing to the account holder');
    assert.equal(sent.filter((m) => m.to === 'oncall@desk.test').length, 1, 'escalated once');
  });
});
