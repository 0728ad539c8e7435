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
 * Time passes for the customer's cases: once the relay took each one's
 * notice (first_notice_at), its opening, notice and deadline move `days`
 * back together, as if those days had gone by (the longest rung gives 14).
 */
async function daysPass(stack: Stack, refs: string[], days = 15): Promise<void> {
  await stack.until(async () => (await stack.cases.pool.query(`SELECT 1 FROM cases WHERE ref = ANY($1::text[]) AND first_notice_at IS NOT NULL`, [refs])).rowCount === refs.length, 20_000, `${refs.join(', ')}: notices accepted`);
  await stack.cases.pool.query(
    `UPDATE cases SET opened_at = opened_at - make_interval(days => $2), first_notice_at = first_notice_at - make_interval(days => $2),
       deadline_at = deadline_at - make_interval(days => $2), notified_at = notified_at - make_interval(days => $2) WHERE ref = ANY($1::text[])`,
    [refs, days],
  );
}

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
    // One at a time, each after the customer was told of the one before and
    // its time to answer ran out: each is a new incident for the customer.
    for (let i = 1; i <= 5; i++) {
      await stack.append([complaint(i)]);
      await stack.until(async () => !!(await caseFor(i)) && (i >= 4 || !!(await noticeFor(i))), 20_000, `case ${i}`);
      if (i <= 3) await daysPass(stack, await Promise.all(Array.from({ length: i }, async (_, k) => (await caseFor(k + 1))!.ref)));
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
    assert.match(opened.notice!.ladder, new RegExp(`^2 earlier incident\\(s\\) in \\d+ days \\(${(await caseFor(1))!.ref}, ${(await caseFor(2))!.ref}\\)$`), 'the reason names the earlier cases');
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

describe('graduated response: recidivism is repeating after being told', () => {
  let stack: Stack;
  const batch = (i: number): Buffer =>
    Buffer.from(
      `From: Batch ${i} <batch${i}@reporter.test>\r\nTo: abuse@example.net\r\nSubject: Phishing ${i}\r\nMessage-ID: <batch.${i}@reporter.test>\r\n\r\n` +
        `This page steals bank passwords: http://batch${i}.shop.test/login\r\n`,
    );
  const notices = async () => (await readSent(stack.sink.mails)).filter((m) => m.to === 'ops@shop-hosting.test');

  before(async () => {
    stack = await startStack({});
    await stack.start(['poller', 'triage', 'notify']);
  });
  after(async () => stack?.stop());

  it('4 complaints arriving together get first notices of the first rung only; once their time to answer ran out, the next gets the next rung, naming them', async () => {
    await stack.append([1, 2, 3, 4].map(batch));
    await stack.until(async () => (await notices()).length >= 4, 30_000, 'four notices');
    const first = await notices();
    assert.deepEqual(first.map((m) => /^\[AD-[\w-]+\] Abuse complaint about batch\d\.shop\.test/.test(m.subject)), [true, true, true, true], first.map((m) => m.subject).join(' | '));

    // A fifth while the customer still has time to act: still the first rung.
    await stack.append([batch(5)]);
    await stack.until(async () => (await notices()).length >= 5, 20_000, 'the fifth notice');
    assert.match((await notices())[4]!.subject, /\] Abuse complaint about batch5/);

    const cases = (await listCases(stack.cases.pool, { all: true })).filter((c) => /^batch\d\.shop\.test$/.test(c.target));
    await daysPass(stack, cases.map((c) => c.ref));
    await stack.append([batch(6)]);
    await stack.until(async () => (await notices()).length >= 6, 20_000, 'the sixth notice').catch(async (e) => {
      const all = await listCases(stack.cases.pool, { all: true });
      throw new Error(`${e.message}: ${JSON.stringify(all.map((c) => [c.ref, c.target, c.status]))} ${(await readSent(stack.sink.mails)).map((m) => `${m.to}: ${m.subject}`).join(' | ')}`);
    });
    assert.match((await notices())[5]!.subject, /Formal warning: abuse complaint about batch6/, 'one rung up: one incident, however many complaints it had');
    const sixth = (await listCases(stack.cases.pool, { all: true })).find((c) => c.target === 'batch6.shop.test')!;
    const opened = (await showCase(stack.cases.pool, sixth.ref))!.history.find((h) => h.kind === 'opened')!.detail as { notice?: { ladder: string } };
    assert.match(opened.notice!.ladder, /^1 earlier incident\(s\) in \d+ days \(AD-/);
    for (const c of cases) assert.ok(opened.notice!.ladder.includes(c.ref), `${c.ref} named in ${opened.notice!.ladder}`);
  });
});
