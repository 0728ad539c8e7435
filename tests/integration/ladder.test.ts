import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openActions } from '../../src/http/start-api.ts';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { readSent, type SentMail } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const complaint = (i: number): Buffer =>
  Buffer.from(
    `From: Reporter ${i} <ladder${i}@reporter.test>\r\nTo: abuse@example.net\r\nSubject: Phishing ${i}\r\nMessage-ID: <ladder.${i}@reporter.test>\r\n\r\n` +
      `This page steals bank passwords: http://rung${i}.shop.test/login\r\n`,
  );

/**
 * The graduated response through the running service: one customer's
 * successive cases climb the shipped ladder (reminder, warning, final notice),
 * the last rung waits for a person and is sent when released, and a flag set
 * before the release steps it down.
 */
describe('graduated response', () => {
  let stack: Stack;
  const noticeFor = async (i: number): Promise<SentMail | undefined> => (await readSent(stack.sink.mails)).find((m) => m.to === 'ops@shop-hosting.test' && m.text.includes(`rung${i}.shop.test`));
  const caseFor = async (i: number) => (await listCases(stack.cases.pool, { all: true })).find((c) => c.target === `rung${i}.shop.test`);

  before(async () => {
    stack = await startStack({ desk: { escalateTo: 'oncall@desk.test' } });
    await stack.start(['poller', 'triage', 'notify']);
    // One at a time: each is a new incident for the customer.
    for (let i = 1; i <= 5; i++) {
      await stack.append([complaint(i)]);
      await stack.until(async () => !!(await caseFor(i)) && (i >= 4 || !!(await noticeFor(i))), 20_000, `case ${i}`);
    }
    await stack.until(async () => (await readSent(stack.sink.mails)).filter((m) => m.to === 'oncall@desk.test').length >= 2, 20_000, 'the escalations');
  });

  after(async () => stack?.stop());

  it('climbs a rung with each earlier incident, each with its template and deadline', async () => {
    assert.match((await noticeFor(1))!.subject, /\] Abuse complaint about rung1\.shop\.test/);
    assert.match((await noticeFor(1))!.text, /Please reply within 14 days/);
    assert.match((await noticeFor(2))!.subject, /Formal warning: abuse complaint about rung2/);
    assert.match((await noticeFor(2))!.text.replace(/\s+/g, ' '), /within 7 days/);
    assert.match((await noticeFor(3))!.subject, /Final notice: abuse complaint about rung3/);
    const shown = (await showCase(stack.cases.pool, (await caseFor(3))!.ref))!;
    const opened = shown.history.find((h) => h.kind === 'opened')!.detail as { notice?: { rung: string; ladder: string; deadlineDays: number } };
    assert.equal(opened.notice?.rung, 'final_notice', 'the rung is in the history with the notice');
    assert.match(opened.notice!.ladder, /^2 earlier incident\(s\)/);
    assert.equal(opened.notice!.deadlineDays, 3);
  });

  it('holds the last rung for a person, who is alerted; nothing reaches the customer', async () => {
    for (const i of [4, 5]) {
      assert.equal(await noticeFor(i), undefined);
      assert.equal((await caseFor(i))!.status, 'awaiting_review');
    }
    const alerts = (await readSent(stack.sink.mails)).filter((m) => m.to === 'oncall@desk.test');
    assert.ok(alerts.some((m) => /suspension_recommended for customer C200/.test(m.text)), alerts.map((m) => m.text).join('\n---\n'));
  });

  it('sends the last rung when a person releases it, and a lower one when a flag steps it down', async () => {
    const opened = await openActions(stack.runtime);
    try {
      // Case 4 (3 earlier incidents: the last rung) is flagged compromised first; case 5 (4 earlier) is released as it is.
      await opened.actions.flag((await caseFor(4))!.ref, 'alice', 'compromised', true);
      await opened.actions.release((await caseFor(4))!.ref, 'alice');
      await opened.actions.release((await caseFor(5))!.ref, 'alice');
    } finally {
      await opened.close();
    }
    await stack.until(async () => !!(await noticeFor(4)) && !!(await noticeFor(5)), 20_000, 'the released notices');
    assert.match((await noticeFor(5))!.subject, /Suspension recommended after repeated complaints about rung5/);
    assert.match((await noticeFor(5))!.text.replace(/\s+/g, ' '), /No suspension has been made yet/);
    assert.match((await noticeFor(4))!.subject, /Final notice: abuse complaint about rung4/, 'compromised steps one rung down');
    const released = (await showCase(stack.cases.pool, (await caseFor(4))!.ref))!.history.find((h) => h.kind === 'released')!;
    assert.equal(released.actor, 'alice');
    assert.match(String((released.detail as { why: string }).why), /-1 for compromised/);
  });
});
