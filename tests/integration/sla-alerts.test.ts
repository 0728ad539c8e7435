import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listCases } from '../../src/cases/case-queries.ts';
import { CaseActions } from '../../src/actions/case-actions.ts';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { dispatchMails } from '../../src/queue/dispatch-mails.ts';
import { createQueues } from '../../src/queue/queues.ts';
import { threatReport } from '../support/case-scenarios.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;

interface Call {
  at: number;
  body: { text: string; kind: string; count: number };
}

/** A webhook receiver, as Slack or Mattermost would be. */
async function webhook(): Promise<{ url: string; calls: Call[]; close(): Promise<void> }> {
  const calls: Call[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      calls.push({ at: Date.now(), body: JSON.parse(body) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/alert`, calls, close: () => new Promise((r) => server.close(() => r())) };
}

/** When the SMTP sink got its first mail to `to` whose subject and text (decoded) match `re`, or null. */
async function mailAt(stack: Stack, to: string, re: RegExp): Promise<number | null> {
  for (const m of stack.sink.mails) {
    if (!m.to.includes(to)) continue;
    const [mail] = await readSent([m]);
    if (re.test(`${mail!.subject}\n${mail!.text}`)) return m.receivedAt;
  }
  return null;
}

function status(stack: Stack): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [BIN, 'status', '--config', stack.configFile], { encoding: 'utf8' }, (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout })),
  );
}

/**
 * SLA alerts as ops run them (the desk's alert mail and webhook), with the
 * notify workers stopped or the relay refusing: every clock measures what
 * was promised, each breach is alerted on its own whatever was alerted
 * before, escalations leave through their own worker, a withheld case stops
 * alerting for review, `status` names each breach, and a "resolved" message
 * follows when a breach ends.
 */
describe('SLA alerts that never wait', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  });

  it("with notify stopped: an urgent review deadline is alerted within 5 s, though an acknowledgement breach was alerted just before; the escalation leaves; a withheld case stops alerting", async () => {
    const hook = await webhook();
    cleanup.push(() => hook.close());
    const stack = await startStack({
      desk: { escalateTo: 'oncall@desk.test' },
      accounts: { atHandles: true },
      // The re-alert interval is an hour, as shipped: nothing new may wait for it.
      sla: { acknowledgeSec: 2, scanIntervalMs: 250, realertSec: 3600, webhook: hook.url, reviewSec: { urgent: 7, high: 3600, normal: 3600, low: 3600 } },
    });
    cleanup.push(() => stack.stop());
    // Poller and triage only: the notify workers are down.
    await stack.start(['poller', 'triage']);
    await stack.append([buildSample('plain-en', 0, `sla-a-${stack.prefix}`).raw]);
    await stack.until(() => hook.calls.some((c) => c.body.kind === 'breach' && /acknowledge/.test(c.body.text)), 15_000, 'the acknowledgement breach');
    const ackAlertAt = hook.calls.find((c) => c.body.kind === 'breach')!.at;

    // Then an urgent threat: held for review, escalated.
    await stack.append([threatReport(0, `sla-a-${stack.prefix}`).raw]);
    await stack.until(async () => (await listCases(stack.cases.pool)).some((c) => c.status === 'awaiting_review'), 15_000, 'the threat case');
    const threat = (await listCases(stack.cases.pool)).find((c) => c.status === 'awaiting_review')!;
    const deadline = new Date(threat.openedAt).getTime() + 7000;
    await stack.until(() => hook.calls.some((c) => c.body.kind === 'breach' && c.body.text.includes(threat.ref)), 20_000, 'the review breach');
    const reviewHookAt = hook.calls.find((c) => c.body.kind === 'breach' && c.body.text.includes(threat.ref))!.at;
    const reviewMail = new RegExp(`SLA breach[\\s\\S]*${threat.ref} \\(urgent\\): review overdue`);
    await stack.until(async () => (await mailAt(stack, 'oncall@desk.test', reviewMail)) !== null, 10_000, 'the review breach mail');
    const reviewMailAt = (await mailAt(stack, 'oncall@desk.test', reviewMail))!;
    const escalationAt = await mailAt(stack, 'oncall@desk.test', /escalat/i);
    console.log(JSON.stringify({ ackAlertBeforeReviewMs: deadline - ackAlertAt, reviewHookAfterDeadlineMs: reviewHookAt - deadline, reviewMailAfterDeadlineMs: reviewMailAt - deadline }));
    assert.ok(ackAlertAt < deadline, 'the acknowledgement breach was alerted before the review deadline');
    assert.ok(reviewHookAt - deadline <= 5000, `webhook ${reviewHookAt - deadline} ms after the review deadline`);
    assert.ok(reviewMailAt - deadline <= 5000, `mail ${reviewMailAt - deadline} ms after the review deadline`);
    assert.ok(escalationAt !== null, 'the escalation reached the sink while notify is down');
    assert.equal(stack.sink.mails.filter((m) => !m.to.includes('oncall@desk.test')).length, 0, 'no customer or reporter mail: notify is down');

    // A person withholds the notice: the case's review clock stops at once, a resolved message says so, and no re-alert follows.
    const redis = stack.redis;
    const queues = createQueues(stack.config, redis);
    cleanup.push(() => queues.close());
    const actions = new CaseActions({ pool: stack.cases.pool, directory: () => stack.runtime.directory.get(), escalateTo: 'oncall@desk.test', ladder: stack.config.ladder, dispatch: (mails, id) => dispatchMails(queues, mails, id) });
    await actions.withhold(threat.ref, 'alice', 'police investigation under way');
    const withheldAt = Date.now();
    await stack.until(() => hook.calls.some((c) => c.body.kind === 'resolved' && c.body.text.includes(threat.ref)), 5000, 'the resolved message');
    assert.ok(hook.calls.find((c) => c.body.kind === 'resolved' && c.body.text.includes(threat.ref))!.at - withheldAt <= 2000);
    await sleep(2000);
    const reviewAlertsAfter = hook.calls.filter((c) => c.at > withheldAt && c.body.kind !== 'resolved' && c.body.text.includes(threat.ref));
    assert.deepEqual(reviewAlertsAfter.map((c) => c.body.text), [], 'no review alert about the withheld case');
  });

  it('with the relay refusing past the acknowledgement deadline: the breach is alerted within 5 s, `status` names it and exits non-zero, a resolved message follows when mail flows', async () => {
    const hook = await webhook();
    cleanup.push(() => hook.close());
    let refusing = true;
    const stack = await startStack(
      {
        desk: { escalateTo: 'oncall@desk.test' },
        // The first notice is due 5 s after the case opened: queued at once, but not accepted by the relay.
        sla: { acknowledgeSec: 3, scanIntervalMs: 250, realertSec: 3600, webhook: hook.url, noticeSec: { urgent: 5, high: 5, normal: 5, low: 5 } },
      },
      { sink: { refuseMailFrom: () => (refusing ? { code: 550, message: '5.7.1 Sender address rejected: not owned by user' } : null) } },
    );
    cleanup.push(() => stack.stop());
    await stack.start(['poller', 'triage', 'notify']);
    const samples = Array.from({ length: 5 }, (_, i) => buildSample('plain-en', i, `sla-b-${stack.prefix}`));
    // INTERNALDATE is to the second: appended at the start of one, the five share their arrival (and their deadline).
    await sleep(1050 - (Date.now() % 1000));
    await stack.append(samples.map((s) => s.raw));
    await stack.until(() => hook.calls.some((c) => c.body.kind === 'breach'), 20_000, 'the breach');
    const breach = hook.calls.find((c) => c.body.kind === 'breach')!;
    // The deadline: arrival in the mailbox (its INTERNALDATE, to the second) plus 3 s.
    const received = await stack.redis.zrange(`${stack.prefix}:sla:pending-acks`, '0', '0', 'WITHSCORES');
    const deadline = Number(received[1]) + 3000;
    assert.ok(breach.at - deadline <= 5000, `alerted ${breach.at - deadline} ms after the deadline`);
    assert.match(breach.body.text, /5 complaints not acknowledged/);

    // The notice was queued at once; its clock runs until the relay accepts it.
    await stack.until(() => hook.calls.some((c) => c.body.kind === 'breach' && /notice overdue/.test(c.body.text)), 15_000, 'the notice breach');
    const st = await status(stack);
    assert.equal(st.code, 1, st.stdout);
    assert.match(st.stdout, /^sla {10}acknowledge 5 BREACHED {2}notice 1 BREACHED/m);
    assert.match(st.stdout, /- SLA acknowledge: 5 complaint\(s\) not acknowledged past the deadline/);
    assert.match(st.stdout, /- SLA notice: 1 case\(s\) past the deadline/);

    refusing = false;
    await stack.until(() => hook.calls.some((c) => c.body.kind === 'resolved'), 30_000, 'the resolved message');
    // Each breach resolves on its own, when its last mail went out: the notice and the acknowledgements (in one message or two).
    const resolved = (): string => hook.calls.filter((c) => c.body.kind === 'resolved').map((c) => c.body.text).join('\n');
    await stack.until(() => /notice no longer overdue/.test(resolved()) && /complaints: every acknowledgement is within its deadline again/.test(resolved()), 30_000, 'both resolved');
    await stack.until(async () => (await mailAt(stack, 'oncall@desk.test', /SLA breach\(es\) resolved/)) !== null, 20_000, 'the resolved mail');
    assert.ok((await mailAt(stack, 'oncall@desk.test', /SLA breach\(es\) \(acknowledge/)) !== null, 'the breach mail went out once the relay took mail');
    const after = await status(stack);
    assert.doesNotMatch(after.stdout, /SLA acknowledge/, after.stdout);
  });
});
