import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { readSent, type SentMail } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

/**
 * Answers to our mail, through Dovecot: the customer's out-of-office reply
 * to a notice changes nothing and is not answered; the customer's real reply
 * marks the case "customer answered"; the reporter's follow-up joins the case.
 */
describe('replies to our mail', () => {
  let stack: Stack;
  let notice: SentMail;
  let ack: SentMail;
  let ref: string;
  let statusAfterOoo = '';
  let sentAfterOoo = 0;
  let sentBeforeOoo = 0;

  const mail = (headers: string[], body: string): Buffer => Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`);

  before(async () => {
    stack = await startStack({ desk: { replyToCase: true } });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([
      mail(['From: Kim Reporter <kim@reporter.test>', 'To: abuse@example.net', 'Subject: phishing page', 'Message-ID: <orig.1@reporter.test>'], 'This page steals bank passwords: http://reply.shop.test/login'),
    ]);
    await stack.until(async () => (await readSent(stack.sink.mails)).length === 2, 20_000, 'acknowledgement and notice');
    const sent = await readSent(stack.sink.mails);
    notice = sent.find((m) => m.to === 'ops@shop-hosting.test')!;
    ack = sent.find((m) => m.to === 'kim@reporter.test')!;
    ref = (await listCases(stack.cases.pool))[0]!.ref;
    sentBeforeOoo = stack.sink.mails.length;

    // The customer's out-of-office answer to the notice.
    await stack.append([
      mail(
        ['From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net', `Subject: Automatic reply: ${notice.subject}`, 'Message-ID: <ooo.1@shop-hosting.test>', `In-Reply-To: ${notice.header('message-id')}`, 'Auto-Submitted: auto-replied'],
        'I am out of the office until Monday.',
      ),
    ]);
    await stack.until(async () => (await stack.count('Processed')) === 2, 20_000, 'the out-of-office processed');
    await sleep(1500);
    statusAfterOoo = (await showCase(stack.cases.pool, ref))!.status;
    sentAfterOoo = stack.sink.mails.length;

    // The customer's real answer, and the reporter's follow-up.
    await stack.append([
      // Answered from another mail client: no thread, a new subject, only the case's plus-address.
      mail(
        ['From: Shop Ops <ops@shop-hosting.test>', `To: ${notice.header('reply-to')}`, 'Subject: our answer', 'Message-ID: <answer.1@shop-hosting.test>'],
        'We removed the page and reset the account password.',
      ),
      mail(
        ['From: Kim Reporter <kim@reporter.test>', 'To: abuse@example.net', `Subject: Re: ${ack.subject}`, 'Message-ID: <followup.1@reporter.test>', `In-Reply-To: ${ack.header('message-id')}`],
        'More information: they also sent me a text message asking for my card number.',
      ),
    ]);
    await stack.until(async () => (await stack.count('Processed')) === 4, 20_000, 'both processed');
    await stack.until(async () => (await readSent(stack.sink.mails)).filter((m) => m.to === 'kim@reporter.test').length === 2, 20_000, 'the follow-up acknowledged');
    await sleep(1500);
  });

  after(async () => stack?.stop());

  it('records an out-of-office reply on its case, and changes nothing and sends nothing', async () => {
    assert.equal(statusAfterOoo, 'open');
    assert.equal(sentAfterOoo, sentBeforeOoo);
    const history = (await showCase(stack.cases.pool, ref))!.history;
    assert.equal(history.filter((h) => h.kind === 'automatic-reply').length, 1, 'recorded on the case');
  });

  it("marks the case answered by the customer, found by the case's plus-address, without answering or opening a case", async () => {
    assert.equal(notice.header('reply-to'), `abuse+${ref}@example.net`);
    const c = (await showCase(stack.cases.pool, ref))!;
    assert.equal(c.status, 'customer_answered');
    const reply = c.history.find((h) => h.kind === 'customer-reply')!;
    assert.match(String((reply.detail as { text: string }).text), /We removed the page and reset the account password/, 'the case shows their text');
    const sent = await readSent(stack.sink.mails);
    assert.equal(sent.filter((m) => m.to === 'ops@shop-hosting.test').length, 1, 'no mail to the customer about their own answer');
    assert.equal((await listCases(stack.cases.pool, { all: true })).length, 1, 'no new case');
  });

  it("joins the reporter's follow-up to the case and says so", async () => {
    const c = (await showCase(stack.cases.pool, ref))!;
    assert.equal(c.reports, 2);
    assert.equal(c.reporters, 1);
    const followUpAck = (await readSent(stack.sink.mails)).filter((m) => m.to === 'kim@reporter.test')[1]!;
    assert.match(followUpAck.text.replace(/\s+/g, ' '), new RegExp(`joined case ${ref} \\(reply\\.shop\\.test\\), which now holds 2 reports`));
  });
});
