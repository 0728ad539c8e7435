import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { readSent, type SentMail } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

/**
 * Answers to our mail, through Dovecot: the customer's out-of-office reply
 * to a notice changes nothing and is not answered; a reply forged in the
 * customer's name (their From, the case in the subject, no authentication)
 * is recorded as unverified and changes nothing; the customer's real reply,
 * shown by our receiving server's DMARC pass or sent to the case's customer
 * reply address, marks the case "customer answered"; the reporter's
 * follow-up joins the case.
 */
describe('replies to our mail', () => {
  let stack: Stack;
  let notice: SentMail;
  let noticeB: SentMail;
  let ack: SentMail;
  let ref: string;
  let refB: string;
  let statusAfterOoo = '';
  let sentAfterOoo = 0;
  let sentBeforeOoo = 0;
  let statusAfterForgery = '';
  let sentAfterForgery = 0;
  let casesAfterForgery = 0;

  const mail = (headers: string[], body: string): Buffer => Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`);
  const processed = (n: number) => stack.until(async () => (await stack.count('Processed')) === n, 20_000, `${n} messages processed`);

  before(async () => {
    stack = await startStack({ desk: { replyToCase: true }, replies: { trustedAuthServIds: ['mx.example.net'] } });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([
      mail(['From: Kim Reporter <kim@reporter.test>', 'To: abuse@example.net', 'Subject: phishing page', 'Message-ID: <orig.1@reporter.test>'], 'This page steals bank passwords: http://reply.shop.test/login'),
      mail(['From: Lee Reporter <lee@reporter.test>', 'To: abuse@example.net', 'Subject: another phishing page', 'Message-ID: <orig.2@reporter.test>'], 'This one too: http://reply2.shop.test/login'),
    ]);
    await stack.until(async () => (await readSent(stack.sink.mails)).length === 4, 20_000, 'acknowledgements and notices');
    const sent = await readSent(stack.sink.mails);
    const cases = await listCases(stack.cases.pool);
    ref = cases.find((c) => c.target === 'reply.shop.test')!.ref;
    refB = cases.find((c) => c.target === 'reply2.shop.test')!.ref;
    notice = sent.find((m) => m.to === 'ops@shop-hosting.test' && m.subject.includes(ref))!;
    noticeB = sent.find((m) => m.to === 'ops@shop-hosting.test' && m.subject.includes(refB))!;
    ack = sent.find((m) => m.to === 'kim@reporter.test')!;
    sentBeforeOoo = stack.sink.mails.length;

    // The customer's out-of-office answer to the notice.
    await stack.append([
      mail(
        ['From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net', `Subject: Automatic reply: ${notice.subject}`, 'Message-ID: <ooo.1@shop-hosting.test>', `In-Reply-To: ${notice.header('message-id')}`, 'Auto-Submitted: auto-replied'],
        'I am out of the office until Monday.',
      ),
    ]);
    await processed(3);
    await sleep(1500);
    statusAfterOoo = (await showCase(stack.cases.pool, ref))!.status;
    sentAfterOoo = stack.sink.mails.length;

    // Forged in the customer's name: their From and the case's reference, from anywhere, with nothing to show for it;
    // the second to the case's plain plus-address (the reporter's), which anyone can write.
    await stack.append([
      mail(['From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net', `Subject: Re: [${ref}] done`, 'Message-ID: <forged.1@attacker.test>'], 'FORGED: we checked, there is nothing on this page.'),
      mail(['From: Shop Ops <ops@shop-hosting.test>', `To: abuse+${ref}@example.net`, 'Subject: closed', 'Message-ID: <forged.2@attacker.test>'], 'FORGED again: please close the case.'),
    ]);
    await processed(5);
    await sleep(1500);
    statusAfterForgery = (await showCase(stack.cases.pool, ref))!.status;
    sentAfterForgery = stack.sink.mails.length;
    casesAfterForgery = (await listCases(stack.cases.pool, { all: true })).length;

    // The customer's real answers: one our receiving server (mx.example.net) saw pass DMARC, one to the
    // other case's customer reply address from another mail client (no thread, a new subject). And the reporter's follow-up.
    await stack.append([
      mail(
        ['Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=shop-hosting.test; dkim=pass header.d=shop-hosting.test; dmarc=pass (p=reject) header.from=shop-hosting.test', 'From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net', `Subject: Re: ${notice.subject}`, 'Message-ID: <answer.1@shop-hosting.test>', `In-Reply-To: ${notice.header('message-id')}`],
        'We removed the page and reset the account password.',
      ),
      mail(['From: Shop Ops <ops@shop-hosting.test>', `To: ${noticeB.header('reply-to')}`, 'Subject: our answer', 'Message-ID: <answer.2@shop-hosting.test>'], 'Page two is gone as well.'),
      mail(
        ['From: Kim Reporter <kim@reporter.test>', 'To: abuse@example.net', `Subject: Re: ${ack.subject}`, 'Message-ID: <followup.1@reporter.test>', `In-Reply-To: ${ack.header('message-id')}`],
        'More information: they also sent me a text message asking for my card number.',
      ),
    ]);
    await processed(8);
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

  it('gives the customer a reply address of their own, the reporter the plain one', () => {
    assert.match(notice.header('reply-to')!, new RegExp(`^abuse\\+${ref}\\.[a-z2-9]{12}@example\\.net$`));
    assert.notEqual(noticeB.header('reply-to')!.split('@')[0]!.split('.').pop(), notice.header('reply-to')!.split('@')[0]!.split('.').pop(), 'a tag per case');
    assert.equal(ack.header('reply-to'), `abuse+${ref}@example.net`);
  });

  it('records a forged reply as unverified and leaves the case as it was', async () => {
    assert.equal(statusAfterForgery, 'open');
    assert.equal(sentAfterForgery, sentAfterOoo, 'nobody was mailed');
    assert.equal(casesAfterForgery, 2, 'no case opened');
    const c = (await showCase(stack.cases.pool, ref))!;
    const unverified = c.history.filter((h) => h.kind === 'unverified-reply');
    assert.equal(unverified.length, 2);
    // The two were processed side by side: either may come first.
    const first = unverified.find((h) => /FORGED: we checked/.test(String((h.detail as { text: string }).text)));
    assert.ok(first, 'its text is shown, as unverified');
    assert.match(String((first.detail as { why: string }).why), /no Authentication-Results from our receiving server/);
    assert.ok(unverified.some((h) => /FORGED again/.test(String((h.detail as { text: string }).text))));
    assert.equal(c.history.filter((h) => h.kind === 'customer-reply').length, 1, 'only the real answer counts as the customer’s');
    assert.equal(c.reports, 2, 'the forgeries are not reports either');
  });

  it("marks a case answered by the customer on our server's DMARC pass, and on a reply to its customer reply address, without answering or opening a case", async () => {
    const a = (await showCase(stack.cases.pool, ref))!;
    assert.equal(a.status, 'customer_answered');
    const reply = a.history.find((h) => h.kind === 'customer-reply')!;
    assert.match(String((reply.detail as { text: string }).text), /We removed the page and reset the account password/, 'the case shows their text');
    assert.equal((reply.detail as { verified: string }).verified, 'dmarc');
    const b = (await showCase(stack.cases.pool, refB))!;
    assert.equal(b.status, 'customer_answered');
    assert.equal((b.history.find((h) => h.kind === 'customer-reply')!.detail as { verified: string }).verified, 'reply-address');
    const sent = await readSent(stack.sink.mails);
    assert.equal(sent.filter((m) => m.to === 'ops@shop-hosting.test').length, 2, 'no mail to the customer about their own answers');
    assert.equal((await listCases(stack.cases.pool, { all: true })).length, 2, 'no new case');
  });

  it("joins the reporter's follow-up to the case and says so", async () => {
    const c = (await showCase(stack.cases.pool, ref))!;
    assert.equal(c.reports, 2);
    assert.equal(c.reporters, 1);
    const followUpAck = (await readSent(stack.sink.mails)).filter((m) => m.to === 'kim@reporter.test')[1]!;
    assert.match(followUpAck.text.replace(/\s+/g, ' '), new RegExp(`joined case ${ref} \\(reply\\.shop\\.test\\), which now holds 2 reports`));
  });
});
