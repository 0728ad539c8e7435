import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssignBatcher } from '../../src/cases/assign-batcher.ts';
import type { ReportOutcome } from '../../src/cases/plan-assignment.ts';
import type { ReportInput } from '../../src/cases/plan-report.ts';

const report = (k: string): ReportInput => ({ messageKey: k } as ReportInput);
const outcome = (r: ReportInput): ReportOutcome => ({ messageKey: r.messageKey, replay: false, cases: [], notices: [], escalation: null });

describe('assign batcher', () => {
  it('sends a lone report at once, and groups the reports that arrive while a transaction is in flight', async () => {
    const calls: string[][] = [];
    const b = new AssignBatcher(async (rs) => {
      calls.push(rs.map((r) => r.messageKey));
      await new Promise((r) => setTimeout(r, 20));
      return rs.map(outcome);
    }, () => false);
    const first = b.submit(report('a'));
    const rest = ['b', 'c', 'd'].map((k) => b.submit(report(k)));
    const all = await Promise.all([first, ...rest]);
    assert.deepEqual(all.map((o) => o.messageKey), ['a', 'b', 'c', 'd']);
    assert.deepEqual(calls, [['a'], ['b', 'c', 'd']]);
  });

  it('retries a failed batch report by report, so one bad report fails alone', async () => {
    const b = new AssignBatcher(async (rs) => {
      if (rs.some((r) => r.messageKey === 'bad')) throw new Error('bad data');
      return rs.map(outcome);
    }, () => false);
    const hold = b.submit(report('first'));
    const results = await Promise.allSettled(['x', 'bad', 'y'].map((k) => b.submit(report(k))));
    await hold;
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails the whole batch at once when the store is unavailable (each job waits and retries)', async () => {
    let calls = 0;
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const b = new AssignBatcher(async () => {
      calls++;
      throw down;
    }, (e) => (e as { code?: string }).code === 'ECONNREFUSED');
    const results = await Promise.allSettled(['p', 'q', 'r'].map((k) => b.submit(report(k))));
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.ok(calls <= 2, `${calls} transactions tried`);
  });
});
