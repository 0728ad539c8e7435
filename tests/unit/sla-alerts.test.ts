import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planAlerts, type Alerted } from '../../src/ops/sla-alerts.ts';
import type { Finding } from '../../src/ops/sla.ts';

const HOUR = 3_600_000;
const review = (ref: string, seconds = 10): Finding => ({ clock: 'review', subject: ref, priority: 'urgent', seconds });
const acks = (count: number, seconds = 5): Finding => ({ clock: 'acknowledge', subject: 'complaints', seconds, count });

/** Runs scans in order, each with what the previous one left; returns what each sent. */
function scans(steps: Array<{ at: number; breaches?: Finding[]; warnings?: Finding[] }>) {
  let state = new Map<string, Alerted>();
  return steps.map((s) => {
    const plan = planAlerts({ breaches: s.breaches ?? [], warnings: s.warnings ?? [] }, state, s.at, HOUR);
    state = plan.next;
    return {
      breach: plan.breach?.findings.map((f) => f.subject) ?? [],
      fresh: plan.breach ? [...plan.breach.fresh].map((f) => f.subject) : [],
      warning: plan.warning?.findings.map((f) => f.subject) ?? [],
      resolved: plan.resolved.map((f) => f.subject),
    };
  });
}

describe('SLA alerts, per finding', () => {
  it('alerts a new breach at once, however recently another was alerted', () => {
    const [first, second] = scans([
      { at: 0, breaches: [acks(20)] },
      { at: 9_000, breaches: [acks(20), review('AD-1')] },
    ]);
    assert.deepEqual(first!.breach, ['complaints']);
    assert.deepEqual(second!.breach, ['AD-1'], 'only the new one: the acknowledgement breach waits for its re-alert');
    assert.deepEqual(second!.fresh, ['AD-1']);
  });

  it('re-alerts each breach on its own interval, grouping those due together', () => {
    const out = scans([
      { at: 0, breaches: [review('AD-1')] },
      { at: HOUR / 2, breaches: [review('AD-1'), review('AD-2')] },
      { at: HOUR - 1, breaches: [review('AD-1'), review('AD-2')] },
      { at: HOUR, breaches: [review('AD-1'), review('AD-2')] },
      { at: HOUR * 1.5, breaches: [review('AD-1'), review('AD-2')] },
    ]);
    assert.deepEqual(out.map((o) => o.breach), [['AD-1'], ['AD-2'], [], ['AD-1'], ['AD-2']]);
    assert.deepEqual(out[3]!.fresh, [], 'a re-alert is not new');
  });

  it('says "resolved" once when a breach ends, and alerts it as new if it comes back', () => {
    const out = scans([
      { at: 0, breaches: [acks(5), review('AD-1')] },
      { at: 1000, breaches: [review('AD-1')] },
      { at: 2000, breaches: [review('AD-1')] },
      { at: 3000, breaches: [acks(1), review('AD-1')] },
    ]);
    assert.deepEqual(out.map((o) => o.resolved), [[], ['complaints'], [], []]);
    assert.deepEqual(out[3]!.fresh, ['complaints']);
  });

  it('treats a warning that turns into a breach as a new breach, and groups 500 new ones in one alert', () => {
    const many = Array.from({ length: 500 }, (_, i) => review(`AD-${i}`));
    const out = scans([
      { at: 0, warnings: [review('AD-W')] },
      { at: 1000, breaches: [review('AD-W')] },
      { at: 2000, breaches: [review('AD-W'), ...many] },
    ]);
    assert.deepEqual(out[0]!.warning, ['AD-W']);
    assert.deepEqual(out[1]!.breach, ['AD-W']);
    assert.deepEqual(out[1]!.resolved, [], 'a warning ending is no resolved breach');
    assert.equal(out[2]!.breach.length, 500, 'one alert for the 500 new breaches');
  });

  it('does not warn again within the interval, nor warn about what is breached', () => {
    const out = scans([
      { at: 0, warnings: [review('AD-1')] },
      { at: 1000, warnings: [review('AD-1')] },
    ]);
    assert.deepEqual(out.map((o) => o.warning), [['AD-1'], []]);
  });
});
