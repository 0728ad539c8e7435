import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSample, SAMPLE_KINDS, type Sample } from '../../src/dev/sample-complaints.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { CASE_REF, readSent, type SentMail } from '../support/sent-mail.ts';

describe('mailbox to acknowledgement and notice, on Dovecot, Redis and SMTP', () => {
  let stack: Stack;
  let samples: Sample[];
  let sent: SentMail[];

  before(async () => {
    // Every sample's notice is checked here, so the one-notice-per-target window is off.
    stack = await startStack({ cases: { noticeUpdateIntervalSec: 0 } });
    samples = Array.from({ length: 50 }, (_, i) => buildSample(SAMPLE_KINDS[i % SAMPLE_KINDS.length]!, i, stack.prefix));
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append(samples.map((s) => s.raw));
    const expected = samples.reduce((n, s) => n + (s.ackTo ? 1 : 0) + s.noticeTo.length, 0);
    await stack.sink.waitFor(expected, 60_000);
    await stack.until(async () => (await stack.count('Processed')) === 50, 20_000, 'all 50 messages in Processed');
    // Give a duplicate or a stray mail time to show up before judging.
    await sleep(1500);
    sent = await readSent(stack.sink.mails);
  });

  after(async () => {
    await stack?.stop();
  });

  it('acknowledges each complaint exactly once, in its language, threaded, with a case reference', () => {
    const acks = sent.filter((m) => m.header('in-reply-to'));
    for (const s of samples.filter((x) => x.ackTo)) {
      const mine = acks.filter((m) => m.to === s.ackTo);
      assert.equal(mine.length, 1, `${s.kind} ${s.ackTo} acknowledged ${mine.length} times`);
      const ack = mine[0]!;
      assert.match(ack.subject, CASE_REF);
      assert.ok(ack.text.includes(CASE_REF.exec(ack.subject)![1]!), 'case reference in the body');
      assert.equal(ack.header('in-reply-to'), s.messageId);
      assert.ok(ack.header('references')?.includes(s.messageId));
      assert.equal(ack.header('auto-submitted'), 'auto-replied');
      if (s.ackLanguage === 'fr') assert.match(ack.subject, /Nous avons bien reçu votre signalement/);
      else assert.match(ack.subject, /We received your report/);
    }
  });

  it('sends a notice to each matched customer, with no trace of the complainant', () => {
    const notices = sent.filter((m) => !m.header('in-reply-to'));
    for (const s of samples) {
      for (const customer of s.noticeTo) {
        const ref = sent.find((m) => m.to === s.ackTo)?.subject.match(CASE_REF)?.[1];
        const mine = notices.filter((m) => m.to === customer && (!ref || m.subject.includes(ref)));
        assert.ok(mine.length >= 1, `${s.kind}: no notice to ${customer}`);
        for (const n of mine) {
          assert.equal(n.header('auto-submitted'), 'auto-replied');
          if (s.ackTo) assert.ok(!n.raw.toLowerCase().includes(s.ackTo.toLowerCase()), `${s.kind}: notice shows the complainant's address`);
          for (const part of (s.reporterName ?? '').split(' ').filter((p) => p.length > 3)) {
            assert.ok(!n.text.includes(part), `${s.kind}: notice shows the complainant's name (${part})`);
          }
        }
      }
    }
    const expectedNotices = samples.reduce((n, s) => n + s.noticeTo.length, 0);
    assert.equal(notices.length, expectedNotices);
  });

  it('stamps the time of its last look at the mailbox, for ops (the poller heartbeat)', async () => {
    const t = Number(await stack.redis.get(`${stack.prefix}:poller:last-check`));
    assert.ok(Date.now() - t < 35_000, `last check ${Date.now() - t} ms ago`);
  });

  it('never writes to auto-repliers, bounces, newsletters or ARF senders', () => {
    const recipients = new Set(sent.map((m) => m.to.toLowerCase()));
    for (const s of samples.filter((x) => !x.ackTo)) {
      const sender = /^From: .*?<?([^<>\s]+@[^<>\s]+)>?\r?$/im.exec(s.raw.toString('latin1'))![1]!.toLowerCase();
      assert.ok(!recipients.has(sender), `${s.kind}: mail sent to ${sender}`);
    }
    const acks = sent.filter((m) => m.header('in-reply-to'));
    assert.equal(acks.length, samples.filter((s) => s.ackTo).length);
  });

  it('notices never show the customer contact to the reporter', () => {
    for (const ack of sent.filter((m) => m.header('in-reply-to'))) {
      for (const contact of ['admin@example.test', 'ops@shop-hosting.test', 'legal@registrant.test', 'Example SARL', 'Shop Hosting Ltd']) {
        assert.ok(!ack.raw.includes(contact), `acknowledgement shows ${contact}`);
      }
    }
  });

  it('moves all 50 to Processed and leaves none in INBOX', async () => {
    assert.equal(await stack.count('INBOX'), 0);
    assert.equal(await stack.count('Processed'), 50);
    assert.equal(await stack.count('Failed'), 0);
  });
});
