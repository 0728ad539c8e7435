import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { stringify } from 'yaml';
import { casesOfReport } from '../../src/cases/case-queries.ts';
import { messageKey } from '../../src/parse/message-key.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { QUEUES } from '../../src/queue/names.ts';
import type { TriageJob } from '../../src/queue/payloads.ts';
import { startStack, type Stack } from '../support/stack.ts';

const owners = (network: string, owner: 'OLD' | 'NEW') => ({
  customers: ['OLD', 'NEW'].map((id) => ({
    id, name: `Customer ${id}`, contact: { email: `abuse@${id.toLowerCase()}.test` }, servers: id === owner ? [network] : [`198.51.100.${id === 'OLD' ? 1 : 2}`],
  })),
});

describe('directory reloaded while 1,000 jobs are in flight', () => {
  let stack: Stack;
  let queue: Queue<TriageJob>;
  const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-reload-'));
  const file = join(dir, 'customers.yaml');
  const keys: string[] = [];
  let inFlightAtChange = 0;

  before(async () => {
    writeFileSync(file, stringify(owners('192.0.2.0/24', 'OLD')));
    stack = await startStack({ directory: { source: file, watch: true }, workers: { triageConcurrency: 4 } });
    queue = new Queue<TriageJob>(QUEUES.triage, { connection: stack.redis, prefix: stack.prefix });
    const jobs: Array<{ name: string; data: TriageJob; opts: { jobId: string } }> = [];
    for (let i = 0; i < 1000; i++) {
      const raw = Buffer.from(`From: r${i}@reporter.test\r\nTo: abuse@example.net\r\nSubject: malware ${i}\r\nMessage-ID: <reload.${i}@reporter.test>\r\n\r\nA trojan is served from http://192.0.2.10/dl/${i}.exe\r\n`);
      const message = await parseMessage(raw, stack.config.limits);
      const key = messageKey(message.messageId, message.sha256);
      keys.push(key);
      jobs.push({ name: 'complaint', data: { key, mailbox: 'INBOX', uidValidity: '1', uid: i + 1, receivedAt: new Date().toISOString(), message }, opts: { jobId: key } });
    }
    await queue.addBulk(jobs);
    await stack.start(['triage']);
    await stack.until(async () => ((await queue.getJobCounts('completed')).completed ?? 0) >= 100, 30_000, '100 jobs done');
    // Replace the file as deploy tools do: write aside, rename over.
    writeFileSync(`${file}.new`, stringify(owners('192.0.2.0/24', 'NEW')));
    renameSync(`${file}.new`, file);
    const counts = await queue.getJobCounts('waiting', 'active');
    inFlightAtChange = (counts.waiting ?? 0) + (counts.active ?? 0);
    await stack.until(async () => (await queue.getJobCounts('completed')).completed === 1000, 60_000, 'all 1,000 jobs done');
  });

  after(async () => {
    await queue?.close();
    await stack?.stop();
  });

  it('changed the directory with jobs still waiting', () => {
    assert.ok(inFlightAtChange > 100, `${inFlightAtChange} jobs in flight at the change`);
    assert.ok(stack.runtime.directory.reloads >= 1);
  });

  it('matched every job against the old or the new directory, and failed none', async () => {
    assert.equal((await queue.getJobCounts('failed')).failed, 0);
    const seen = { OLD: 0, NEW: 0 };
    for (const key of keys) {
      const cases = await casesOfReport(stack.cases.pool, key);
      assert.equal(cases.length, 1, `one case for ${key}`);
      seen[cases[0]!.customer as 'OLD' | 'NEW']++;
    }
    assert.equal(seen.OLD + seen.NEW, 1000);
    assert.ok(seen.OLD >= 100 && seen.NEW > 0, JSON.stringify(seen));
  });
});
