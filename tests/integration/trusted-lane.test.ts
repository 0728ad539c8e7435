import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listCases, type CaseListRow } from '../../src/cases/case-queries.ts';
import { startStack, type Stack } from '../support/stack.ts';

const complaint = (i: number, from: string): Buffer =>
  Buffer.from(
    `From: ${from}\r\nTo: abuse@example.net\r\nSubject: Spam ${i}\r\nMessage-ID: <lane.${i}@reporter.test>\r\n\r\n` +
      `We keep receiving unsolicited spam advertising http://lane${i}.shop.test/offer\r\n`,
  );

/**
 * A trusted reporter's complaint, arriving behind a backlog, is triaged
 * first (its own lane) and opens its case at high priority, marked trusted.
 */
describe('trusted reporters', () => {
  let stack: Stack;
  let cases: CaseListRow[];

  before(async () => {
    stack = await startStack({ cases: { trustedReporters: ['cert.example.org'] }, workers: { triageConcurrency: 1 } });
    // The backlog first, then the CERT's report; nothing triaged until all are queued.
    await stack.start(['poller']);
    await stack.append([...Array.from({ length: 20 }, (_, i) => complaint(i, `person${i}@reporter.test`)), complaint(99, 'CERT Desk <soc@cert.example.org>')]);
    await stack.until(async () => (await stack.count('Processed')) === 21, 20_000, 'all queued');
    await stack.start(['triage']);
    await stack.until(async () => (await listCases(stack.cases.pool)).length === 21, 30_000, '21 cases');
    cases = await listCases(stack.cases.pool);
  });

  after(async () => stack?.stop());

  it('triages the trusted report ahead of the backlog', () => {
    const first = cases.find((c) => c.ref.endsWith('-000001'))!;
    assert.equal(first.target, 'lane99.shop.test');
  });

  it('opens its case at high priority at least, marked trusted; the others stay as triage set them', async () => {
    const trusted = cases.find((c) => c.target === 'lane99.shop.test')!;
    const others = cases.filter((c) => c !== trusted);
    const shown = (await stack.cases.pool.query('SELECT trusted FROM cases WHERE ref = $1', [trusted.ref])).rows[0];
    assert.equal(shown.trusted, true);
    assert.equal(trusted.priority, 'high');
    assert.deepEqual([...new Set(others.map((c) => `${c.category}/${c.priority}`))], ['spam/normal']);
  });
});
