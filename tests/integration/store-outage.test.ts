import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { buildSample, type Sample } from '../../src/dev/sample-complaints.ts';
import { QUEUES } from '../../src/queue/names.ts';
import { startImapTap, type ImapTap } from '../support/imap-tap.ts';
import { readSent } from '../support/sent-mail.ts';
import { PG_URL, startStack, type Stack } from '../support/stack.ts';

/**
 * PostgreSQL unreachable (every connection refused, through a TCP tap in
 * front of it) while complaints arrive: the reports wait in the triage queue,
 * nothing fails and nothing is mailed; ops hear of it; once the database is
 * back every complaint is answered, once.
 */
describe('the case store down while complaints arrive', () => {
  let stack: Stack;
  let tap: ImapTap;
  let samples: Sample[];
  const outages: Array<{ state: string; outageMs?: number }> = [];
  let sentWhileDown = -1;
  let failedWhileDown = -1;

  before(async () => {
    const pg = new URL(PG_URL);
    tap = await startImapTap({ host: pg.hostname, port: Number(pg.port || 5432) });
    const viaTap = new URL(PG_URL);
    viaTap.port = String(tap.port);
    stack = await startStack({
      cases: { database: viaTap.toString(), connectTimeoutMs: 1000, noticeUpdateIntervalSec: 0 },
      jobs: { backoffMs: 200, attempts: 2 },
      delivery: { maxBackoffMs: 1500 },
    });
    stack.runtime.events.on('outage', (e) => e.service === 'store' && outages.push(e));
    await stack.start(['poller', 'triage', 'notify']);
    samples = Array.from({ length: 20 }, (_, i) => buildSample('plain-en', i, `outage-${stack.prefix}`));

    tap.block(true);
    tap.cut();
    await stack.append(samples.map((s) => s.raw));
    await stack.until(async () => (await stack.count('Processed')) === samples.length, 20_000, 'all in Processed');
    // Longer than jobs.attempts × backoff would allow if each failure used an attempt.
    await sleep(6000);
    sentWhileDown = stack.sink.mails.length;
    const triage = new Queue(QUEUES.triage, { connection: stack.redis, prefix: stack.prefix });
    failedWhileDown = (await triage.getJobCounts('failed')).failed ?? 0;
    await triage.close();

    tap.block(false);
    await stack.sink.waitFor(samples.length * 2, 30_000);
    await sleep(1500);
  });

  after(async () => {
    await stack?.stop();
    await tap?.close();
  });

  it('keeps the reports waiting, fails none and mails nobody while the database is down', () => {
    assert.equal(sentWhileDown, 0);
    assert.equal(failedWhileDown, 0);
  });

  it('raises the outage to ops once, not once per report, and its end with its duration', () => {
    // One gate per worker of the process (triage, notify); only those whose jobs met the outage open it.
    const down = outages.filter((o) => o.state === 'down');
    const up = outages.filter((o) => o.state === 'up');
    assert.ok(down.length >= 1 && down.length <= 2, JSON.stringify(outages));
    assert.equal(up.length, down.length, JSON.stringify(outages));
    // From the first report that met it to the probe that found the store back: the 6 s wait, less the time the first report took to arrive.
    assert.ok(up.every((o) => (o.outageMs ?? 0) >= 3000 && (o.outageMs ?? 0) < 30_000), JSON.stringify(up));
  });

  it('answers every complaint once when the database is back', async () => {
    const sent = await readSent(stack.sink.mails);
    for (const s of samples) assert.equal(sent.filter((m) => m.to === s.ackTo).length, 1, `${s.ackTo}`);
    assert.equal(sent.filter((m) => m.to === 'admin@example.test').length, samples.length);
    const triage = new Queue(QUEUES.triage, { connection: stack.redis, prefix: stack.prefix });
    assert.equal((await triage.getJobCounts('failed')).failed ?? 0, 0);
    await triage.close();
  });
});
