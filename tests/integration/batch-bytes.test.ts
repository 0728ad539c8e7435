import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStack, type Stack } from '../support/stack.ts';
import type { BatchStats } from '../../src/mailbox/poller.ts';
import { startPoller } from '../../workers/poller.ts';

// Each message carries ~200 KB of attachment text; the batch budget is 500 KB.
const big = (i: number): Buffer =>
  Buffer.from(
    [
      `From: Reporter ${i} <r${i}@reporter.test>`,
      'To: abuse@example.net',
      `Subject: Spam run ${i}`,
      `Message-ID: <big.${i}@reporter.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Log of the attack from 192.0.2.10 attached.',
      '--b',
      'Content-Type: text/plain; name="log.txt"',
      'Content-Disposition: attachment; filename="log.txt"',
      '',
      `${'2026-11-29 10:00:00 192.0.2.10 failed login for root\r\n'.repeat(3800)}`,
      '--b--',
      '',
    ].join('\r\n'),
  );

describe('poller batches bounded by bytes', () => {
  let stack: Stack;
  const batches: BatchStats[] = [];

  before(async () => {
    stack = await startStack({ limits: { maxBatchBytes: 500_000 } });
    await stack.append(Array.from({ length: 12 }, (_, i) => big(i)));
    const poller = startPoller(stack.runtime, (s) => batches.push(s));
    await stack.until(async () => (await stack.count('Processed')) === 12, 30_000, 'all 12 in Processed');
    await poller.close();
  });

  after(async () => stack?.stop());

  it('parses no more than the byte budget (plus the message that crossed it) per batch, and still takes every message', () => {
    const sizes = batches.filter((b) => b.fetched > 0).map((b) => b.fetched);
    assert.ok(sizes.length >= 4, `batches: ${sizes.join(', ')}`);
    assert.ok(sizes.every((n) => n <= 3), `batches: ${sizes.join(', ')}`);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 12);
  });
});
