import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { QUEUES } from '../../src/queue/names.ts';
import { readSent } from '../support/sent-mail.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeskCounters } from '../../src/ops/desk-counters.ts';
import { startStack, type Stack } from '../support/stack.ts';

/**
 * SLA alerts with the notify workers stopped: 500 complaints wait for their
 * acknowledgement past a 2 s deadline. One grouped alert by mail (to the
 * desk) and by webhook within 3 s of the deadline, then again once per
 * re-alert interval, not once per complaint.
 */
describe('SLA breach with the notify workers stopped', () => {
  let stack: Stack;
  let hook: Server;
  const calls: Array<{ at: number; body: { text: string; kind: string; count: number } }> = [];
  let oldestNotifyJobAt = 0;

  before(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        calls.push({ at: Date.now(), body: JSON.parse(body) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/alert`;
    stack = await startStack({
      desk: { escalateTo: 'oncall@desk.test' },
      caps: { exemptDomains: ['reporter.test'] },
      sla: { acknowledgeSec: 2, scanIntervalMs: 250, realertSec: 4, webhook: hookUrl },
    });
    // Poller and triage only: acknowledgements pile up in the notify queue.
    await stack.start(['poller', 'triage']);
    await stack.append(Array.from({ length: 500 }, (_, i) => buildSample('plain-en', i, `sla-${stack.prefix}`).raw));
    await stack.until(async () => calls.filter((c) => c.body.kind === 'breach').length >= 2, 30_000, 'two breach alerts');
    const notify = new Queue(QUEUES.notify, { connection: stack.redis, prefix: stack.prefix });
    const [oldest] = await notify.getJobs(['wait'], 0, 0, true);
    oldestNotifyJobAt = oldest!.timestamp;
    await notify.close();
  });

  after(async () => {
    await stack?.stop();
    await new Promise((r) => hook?.close(r));
  });

  it('alerts by mail and webhook within 3 s of the deadline', async () => {
    const deadline = oldestNotifyJobAt + 2000;
    const first = calls.find((c) => c.body.kind === 'breach')!;
    assert.ok(first.at - deadline <= 3000, `webhook ${first.at - deadline} ms after the deadline`);
    assert.match(first.body.text, /SLA breach\(es\) \(acknowledge/);
    const mails = (await readSent(stack.sink.mails)).filter((m) => m.to === 'oncall@desk.test' && /SLA breach/.test(m.subject));
    assert.ok(mails.length >= 1);
    const mailAt = stack.sink.mails.find((m) => m.to.includes('oncall@desk.test') && m.raw.toString().includes('SLA breach'))!.receivedAt;
    assert.ok(mailAt - deadline <= 3000, `mail ${mailAt - deadline} ms after the deadline`);
  });

  it('groups: one alert per re-alert interval however many complaints wait, and repeats it', async () => {
    const breaches = calls.filter((c) => c.body.kind === 'breach');
    assert.ok(breaches[1]!.at - breaches[0]!.at >= 4000 - 300, `${breaches[1]!.at - breaches[0]!.at} ms between alerts`);
    const mails = (await readSent(stack.sink.mails)).filter((m) => /SLA breach/.test(m.subject));
    assert.ok(mails.length <= breaches.length + 1, `${mails.length} alert mails for 500 complaints`);
    assert.equal(stack.sink.mails.filter((m) => !m.to.includes('oncall@desk.test')).length, 0, 'nothing else went out: the notify workers are stopped');
    // Counted for abuse_desk_sla_alerts_total once per grouped alert (written within a second).
    await sleep(1200);
    const counted = (await new DeskCounters(stack.redis, stack.prefix, 0).read()).alerts.find((a) => a.kind === 'breach')?.n ?? 0;
    const sentNow = calls.filter((c) => c.body.kind === 'breach').length;
    assert.ok(counted >= breaches.length && counted <= sentNow, `${counted} breach alerts counted, ${sentNow} sent`);
  });
});
