import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApi } from '../../src/http/start-api.ts';
import { STAGE_BUCKETS } from '../../src/ops/desk-counters.ts';
import { phishingReport } from '../support/case-scenarios.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const refusedReport = Buffer.from(
  'From: Pat <refused@elsewhere.test>\r\nTo: abuse@example.net\r\nSubject: phishing again\r\nMessage-ID: <refused.1@elsewhere.test>\r\n\r\nThis page steals bank passwords: http://www.example.test/account/verify.php\r\n',
);

/** One series' value in a Prometheus text page, or undefined. */
const value = (page: string, series: string): number | undefined => {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/**
 * What the workers count reaches /metrics: complaints, mails by kind and
 * result (sent, capped, refused) and stage durations, checked against what
 * the SMTP sink received and what was appended to the mailbox.
 */
describe('counted mails, complaints and stage durations in /metrics', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  let page = '';
  const started = Date.now();

  before(async () => {
    stack = await startStack(
      { caps: { perDomain: [{ max: 3, windowSec: 600 }] }, api: { host: '127.0.0.1', port: 0, operators: [] } },
      { reject: (rcpt) => (rcpt === 'refused@elsewhere.test' ? { code: 550, message: '5.1.1 no such user' } : null) },
    );
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([...Array.from({ length: 5 }, (_, i) => phishingReport(i, 5, 'metrics').raw), refusedReport]);
    // Every complaint triaged and its mails dealt with: 3 acknowledgements (the cap), the notice, one refusal.
    await stack.until(async () => (await stack.count('Processed')) === 6, 30_000, 'the complaints');
    await stack.until(async () => (await readSent(stack.sink.mails)).filter((m) => /We received your report/.test(m.subject)).length === 3, 30_000, 'the acknowledgements');
    await sleep(1500);
    api = await startApi(stack.runtime);
    page = await (await fetch(`${api.url}/metrics`)).text();
  });

  after(async () => {
    await api?.close();
    await stack?.stop();
  });

  it('counts each complaint once, by category, priority and kind', () => {
    const lines = page.split('\n').filter((l) => l.startsWith('abuse_desk_complaints_total{'));
    const total = lines.reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    assert.equal(total, 6, lines.join('\n'));
    assert.ok(lines.every((l) => /category="phishing"/.test(l) && /kind="human"/.test(l)), lines.join('\n'));
  });

  it('counts mails by kind and result, as the SMTP sink saw them', async () => {
    const sent = await readSent(stack.sink.mails);
    const acks = sent.filter((m) => /We received your report/.test(m.subject)).length;
    const notices = sent.filter((m) => m.to === 'admin@example.test').length;
    assert.equal(acks, 3);
    assert.ok(notices >= 1);
    assert.equal(value(page, 'abuse_desk_mails_total{kind="acknowledgement",result="sent"}'), acks);
    assert.equal(value(page, 'abuse_desk_mails_total{kind="acknowledgement",result="capped"}'), 2, 'two over the cap of 3 per domain');
    assert.equal(value(page, 'abuse_desk_mails_total{kind="acknowledgement",result="refused"}'), 1, 'refused@elsewhere.test refused by its server');
    assert.equal(value(page, 'abuse_desk_mails_total{kind="notice",result="sent"}'), notices);
  });

  it('times each stage from arrival: triaged for every complaint, acknowledged per acknowledgement sent, notified per first notice', () => {
    const elapsed = (Date.now() - started) / 1000;
    for (const [stage, n] of [['triaged', 6], ['acknowledged', 3], ['notified', 1]] as const) {
      assert.equal(value(page, `abuse_desk_stage_seconds_count{stage="${stage}"}`), n, stage);
      const buckets = [...STAGE_BUCKETS.map(String), '+Inf'].map((le) => value(page, `abuse_desk_stage_seconds_bucket{stage="${stage}",le="${le}"}`)!);
      assert.ok(buckets.every((b, i) => i === 0 || b >= buckets[i - 1]!), `cumulative: ${buckets}`);
      assert.equal(buckets.at(-1), n);
      const sum = value(page, `abuse_desk_stage_seconds_sum{stage="${stage}"}`)!;
      assert.ok(sum > 0 && sum <= n * elapsed, `${stage}: ${sum} s in all, within the ${elapsed} s the test ran`);
    }
  });

  it('reports the customer directory', () => {
    assert.ok(value(page, 'abuse_desk_directory_entries{kind="customers"}')! > 0);
    const loaded = value(page, 'abuse_desk_directory_loaded_timestamp_seconds')!;
    assert.ok(loaded * 1000 >= started - 60_000 && loaded * 1000 <= Date.now());
  });
});
