import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { CASE_REF, readSent, type SentMail } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

// An ops rule that backtracks exponentially: on a run of x with no y it never
// returns. Nothing in the text scanners is like this any more, but a rule
// written by ops can be, and the budget must hold whatever the cause.
const rulesDir = mkdtempSync(join(tmpdir(), 'abuse-desk-rules-'));
const rulesFile = join(rulesDir, 'triage.yaml');
const rules = parse(readFileSync(new URL('../../config/rules/triage.yaml', import.meta.url), 'utf8'));
rules.phrases.push({ match: '(x+x+)+y', category: 'spam' });
writeFileSync(rulesFile, stringify(rules));

const BUDGET_MS = 4000;
const hostile = Buffer.from(
  [
    'From: Victor Victim <victor@reporter.test>',
    'To: abuse@example.net',
    'Subject: Please help',
    'Message-ID: <runaway.1@reporter.test>',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Someone keeps posting this: ${'x'.repeat(60)}`,
    '',
  ].join('\r\n'),
);

describe('a runaway analysis among 100 complaints', () => {
  let stack: Stack;
  let sent: SentMail[];
  let appendedAt: number;
  const others = Array.from({ length: 99 }, (_, i) => buildSample('plain-en', i, 'runaway'));

  before(async () => {
    stack = await startStack({
      rules: { file: rulesFile },
      desk: { escalateTo: 'oncall@desk.test' },
      workers: { triageThreads: 2, triageBudgetMs: BUDGET_MS },
      // Every complaint's notice is counted here.
      cases: { noticeUpdateIntervalSec: 0 },
    });
    await stack.start(['poller', 'triage', 'notify']);
    appendedAt = Date.now();
    await stack.append([hostile, ...others.map((s) => s.raw)]);
    // 99 acknowledgements and 99 notices, then the stuck one's acknowledgement and escalation.
    await stack.sink.waitFor(99 * 2 + 2, 90_000);
    sent = await readSent(stack.sink.mails);
  });

  after(async () => {
    await stack?.stop();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  it('acknowledges the other 99 while the runaway one is still running', () => {
    const victimAck = stack.sink.mails.find((m) => m.to.includes('victor@reporter.test'));
    assert.ok(victimAck, 'the reporter of the runaway message is acknowledged');
    const ackTimes = stack.sink.mails.filter((m) => m.to.some((t) => /^alice\d+@reporter\.test$/.test(t))).map((m) => m.receivedAt);
    assert.equal(new Set(sent.filter((m) => /^alice\d+@/.test(m.to)).map((m) => m.to)).size, 99);
    assert.ok(Math.max(...ackTimes) < victimAck.receivedAt, 'every other acknowledgement came before the runaway one was stopped');
    // Stopped at the budget, not before (and not never).
    assert.ok(victimAck.receivedAt - appendedAt >= BUDGET_MS, `stopped after ${victimAck.receivedAt - appendedAt} ms`);
  });

  it('turns the runaway message into a case for a person, with the reason', async () => {
    // (The 99 others, 50 distinct reporters about one page, make an urgent case escalated too.)
    const escalation = sent.find((m) => m.to === 'oncall@desk.test' && /could not be analysed/.test(m.text));
    assert.ok(escalation, 'an escalation mail about it reached the desk');
    assert.match(escalation.text, /could not be analysed automatically/);
    const ref = CASE_REF.exec(sent.find((m) => m.to === 'victor@reporter.test')!.subject)![1]!;
    const shown = (await showCase(stack.cases.pool, ref))!;
    assert.equal(shown.status, 'awaiting_review');
    assert.match(shown.reason ?? '', /could not be analysed automatically/);
    const why = (shown.history.find((h) => h.kind === 'opened')!.detail as { why: string[] }).why;
    assert.ok(why.some((w) => /could not be analysed automatically: analysis took over 4000 ms/.test(w)), why.join('\n'));
    assert.ok((await listCases(stack.cases.pool, { status: 'awaiting_review' })).some((c) => c.ref === ref), 'listed among the cases awaiting review');
  });

  it('sends nothing to a customer about the runaway message, and fails no job', async () => {
    assert.equal(sent.filter((m) => m.text.includes('x'.repeat(60))).length, 0);
    const failed = await stack.redis.zcard(`${stack.prefix}:triage:failed`);
    assert.equal(failed, 0);
  });
});
