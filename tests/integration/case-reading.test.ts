import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { openActions, startApi } from '../../src/http/start-api.ts';
import { operator } from '../support/operators.ts';
import { readSent } from '../support/sent-mail.ts';
import { apiCaller } from '../support/api-call.ts';
import { startStack, type Stack } from '../support/stack.ts';

const viewer = operator('victor', 'viewer');
const agent = operator('alice', 'agent');

// Who wrote it: none of this may reach a viewer or the customer.
const IDENTITY = [/Jane/, /Roe/i, /jane\.roe/i, /7946/, /Baker Street/i];

/** An HTML-only phishing complaint, signed with a name and a phone number, about a page C200 hosts. */
const phishingHtml = Buffer.from(
  [
    'From: Jane Roe <jane.roe@reporter.test>',
    'To: abuse@example.net',
    'Subject: Fake bank login on your server',
    'Message-ID: <reading.1@reporter.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body><p>Hello,</p><p>This page <b>steals bank passwords</b>: <a href="http://www.shop.test/login">http://www.shop.test/login</a></p>',
    '<p>It was sent to thousands of people today.</p><script>alert("x")</script>',
    '<p>Regards,<br>Jane Roe<br>+44 20 7946 0958<br>221B Baker Street</p></body></html>',
    '',
  ].join('\r\n'),
);

/**
 * Reading a case as the people who judge it do, against the running
 * pipeline: the report as received (a viewer's without who sent it), the
 * .eml for agents, the mail thread with the acknowledgement, the held
 * notice as it will be sent, released with a message and a trimmed extract,
 * and retention erasing the evidence with the reporter.
 */
describe('reading a case', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  let ref: string;
  const call = apiCaller(() => api.url);

  before(async () => {
    stack = await startStack({
      // Phishing on a server waits for a person here, so its notice can be read before it goes.
      cases: { noticePolicy: [{ category: 'phishing', targetType: 'server', policy: 'review' }] },
      api: { host: '127.0.0.1', port: 0, operators: [viewer.entry, agent.entry] },
    });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([phishingHtml]);
    await stack.until(async () => (await listCases(stack.cases.pool)).some((c) => c.target === 'www.shop.test'), 30_000, 'the case');
    ref = (await listCases(stack.cases.pool)).find((c) => c.target === 'www.shop.test')!.ref;
    await stack.until(() => stack.sink.mails.some((m) => m.to.includes('jane.roe@reporter.test')), 20_000, 'the acknowledgement');
    api = await startApi(stack.runtime);
  });

  after(async () => {
    await api?.close();
    await stack?.stop();
  });

  it('shows a viewer the words of the report without who wrote them, and an agent both', async () => {
    const seen = await call(`/api/cases/${ref}/reports`, viewer.token);
    assert.equal(seen.status, 200);
    assert.equal(seen.json.total, 1);
    const v = seen.json.reports[0];
    assert.match(v.text, /steals bank passwords/);
    assert.match(v.text, /thousands of people/);
    assert.ok(!/<script|<b>|alert\(/.test(v.text), 'HTML is shown as its text');
    for (const id of IDENTITY) assert.ok(!id.test(JSON.stringify(v)), `a viewer does not see ${id}: ${v.text}`);
    assert.equal(v.reporterAddress, undefined);
    assert.equal(v.eml, false);
    assert.equal(v.redacted, true);
    const reported = v.targets.find((t: { value: string }) => t.value === 'www.shop.test');
    assert.equal(reported.role, 'reported');
    assert.equal(reported.customerId, 'C200');
    assert.ok(reported.seen.includes('http://www.shop.test/login'));
    assert.ok(reported.why.length > 0, 'why it was taken as reported');

    const full = (await call(`/api/cases/${ref}/reports`, agent.token)).json.reports[0];
    assert.equal(full.reporterAddress, 'jane.roe@reporter.test');
    assert.equal(full.reporterName, 'Jane Roe');
    assert.match(full.text, /Jane Roe/);
    assert.match(full.text, /7946 0958/);
    assert.equal(full.subject, 'Fake bank login on your server');
    assert.equal(full.eml, true);

    // Nothing else a viewer can read names the reporter either.
    for (const path of [`/api/cases/${ref}`, `/api/cases/${ref}/thread`, '/api/cases']) {
      const body = JSON.stringify((await call(path, viewer.token)).json);
      for (const id of IDENTITY) assert.ok(!id.test(body), `${path} shows a viewer ${id}`);
    }
  });

  it('lets an agent download the message exactly as received, and no viewer', async () => {
    const key = (await call(`/api/cases/${ref}/reports`, agent.token)).json.reports[0].messageKey;
    assert.equal((await call(`/api/cases/${ref}/reports/${key}/eml`, viewer.token)).status, 403);
    const eml = await call(`/api/cases/${ref}/reports/${key}/eml`, agent.token);
    assert.equal(eml.status, 200);
    assert.equal(eml.type, 'message/rfc822');
    assert.ok(eml.raw.equals(phishingHtml), 'the bytes that reached the mailbox');
    assert.equal((await call(`/api/cases/${ref}/reports/msg-${'0'.repeat(32)}/eml`, agent.token)).status, 404);
  });

  it('lists the report and its acknowledgement in the thread, as sent', async () => {
    const thread = (await call(`/api/cases/${ref}/thread`, agent.token)).json as Array<{ direction: string; party: string; reporter: string; kind: string; state: string; text: string | null; subject: string }>;
    const report = thread.find((e) => e.direction === 'in')!;
    assert.equal(report.reporter, 'R1');
    assert.equal(report.subject, 'Fake bank login on your server');
    const ack = thread.find((e) => e.kind === 'acknowledgement')!;
    assert.ok(ack, `an acknowledgement in ${JSON.stringify(thread.map((e) => e.kind))}`);
    assert.deepEqual([ack.direction, ack.party, ack.reporter, ack.state], ['out', 'reporter', 'R1', 'sent']);
    const sent = (await readSent(stack.sink.mails.filter((m) => m.to.includes('jane.roe@reporter.test'))))[0]!;
    assert.equal(ack.subject, sent.subject);
    assert.equal(ack.text!.trim(), sent.text.trim(), 'the body as it reached the relay');

    const viewed = (await call(`/api/cases/${ref}/thread`, viewer.token)).json as typeof thread;
    const hidden = viewed.find((e) => e.kind === 'acknowledgement')!;
    assert.equal(hidden.text, null);
    assert.equal(hidden.subject, '');
  });

  it('shows the held notice as it will be sent, refuses an extract with words added, and releases it as previewed', async () => {
    const message = 'Please take the page down today; it is part of a large campaign.';
    assert.equal((await call(`/api/cases/${ref}/held-notice`, viewer.token)).status, 403);
    const plain = await call(`/api/cases/${ref}/held-notice`, agent.token);
    assert.equal(plain.status, 200);
    assert.match(plain.json.text, /http:\/\/www\.shop\.test\/login/, 'the URL the report gave');
    assert.match(plain.json.text, /steals bank passwords/, 'the extract');
    for (const id of IDENTITY) assert.ok(!id.test(plain.json.text), `the notice does not carry ${id}`);
    const excerpt = plain.json.excerpt as string;
    assert.match(excerpt, /thousands of people/);

    const trimmed = excerpt.split('\n').filter((l) => !/thousands/.test(l)).join('\n');
    const preview = await call(`/api/cases/${ref}/held-notice?${new URLSearchParams({ message, excerpt: trimmed })}`, agent.token);
    assert.match(preview.json.text, new RegExp(message.slice(0, 30)));
    assert.ok(!/thousands/.test(preview.json.text), 'the cut line is gone');

    const added = await call(`/api/cases/${ref}/release`, agent.token, { method: 'POST', body: { excerpt: `${trimmed}\nThe customer is a known spammer.` } });
    assert.equal(added.status, 400);
    assert.match(added.json.error, /can only be trimmed/);
    assert.equal((await showCase(stack.cases.pool, ref))!.status, 'awaiting_review', 'nothing released');

    const before = stack.sink.mails.length;
    const released = await call(`/api/cases/${ref}/release`, agent.token, { method: 'POST', body: { message, excerpt: trimmed } });
    assert.equal(released.status, 200, JSON.stringify(released.json));
    await stack.until(() => stack.sink.mails.length > before, 20_000, 'the notice');
    const notice = (await readSent(stack.sink.mails.slice(before))).find((m) => m.to === 'ops@shop-hosting.test')!;
    assert.equal(notice.text.trim(), preview.json.text.trim(), 'the mail is the preview');
    assert.equal(notice.subject, preview.json.subject);
    for (const id of IDENTITY) assert.ok(!id.test(notice.raw), `the customer's notice does not carry ${id}`);

    const history = (await showCase(stack.cases.pool, ref))!.history.find((h) => h.kind === 'released')!;
    assert.equal(history.actor, 'alice');
    assert.deepEqual([(history.detail as { message: string }).message, (history.detail as { excerpt: string }).excerpt], [message, trimmed.trim()]);

    await stack.until(async () => ((await call(`/api/cases/${ref}/thread`, agent.token)).json as Array<{ kind: string }>).some((e) => e.kind === 'notice'), 10_000, 'the notice in the thread');
    const inThread = ((await call(`/api/cases/${ref}/thread`, agent.token)).json as Array<{ kind: string; party: string; state: string; text: string }>).find((e) => e.kind === 'notice')!;
    assert.deepEqual([inThread.party, inThread.state], ['customer', 'sent']);
    assert.match(inThread.text, new RegExp(message.slice(0, 30)));
  });

  it('erases the evidence with the reporter once the case has been closed long enough', async () => {
    const opened = await openActions(stack.runtime);
    try {
      await opened.actions.setStatus(ref, 'alice', 'resolved', 'action_taken', { reason: 'the page was removed', ground: 'our terms, section 4' });
    } finally {
      await opened.close();
    }
    const key = (await call(`/api/cases/${ref}/reports`, agent.token)).json.reports[0].messageKey;
    // Not yet: the case closed just now.
    assert.equal(await stack.cases.purgeEvidence(180), 0);
    assert.equal((await call(`/api/cases/${ref}/reports/${key}/eml`, agent.token)).status, 200);
    await sleep(10);
    assert.equal(await stack.cases.purgeEvidence(0), 1);
    const eml = await call(`/api/cases/${ref}/reports/${key}/eml`, agent.token);
    assert.equal(eml.status, 410);
    assert.match(eml.json.error, /erased by retention/);
    const report = (await call(`/api/cases/${ref}/reports`, agent.token)).json.reports[0];
    assert.equal(report.missing, 'erased');
    assert.equal(report.text, null);
    const thread = (await call(`/api/cases/${ref}/thread`, agent.token)).json as Array<{ kind: string; text: string | null }>;
    assert.equal(thread.find((e) => e.kind === 'acknowledgement')!.text, null, "the mail to the reporter goes too");
    assert.ok(thread.find((e) => e.kind === 'notice')!.text, "the customer's notice stays");
    // The full-text index holds nothing of it either.
    const words = await stack.cases.pool.query(`SELECT count(*)::int AS n FROM report_evidence WHERE search @@ plainto_tsquery('english', 'bank passwords')`);
    assert.equal(words.rows[0].n, 0);
  });
});
