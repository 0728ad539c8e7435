import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { alertText, slaFindings, type OpenCase } from '../../src/ops/sla.ts';

const sla = loadConfig({ env: {} }).sla;
const now = new Date('2026-11-20T12:00:00Z');
const ago = (sec: number): Date => new Date(now.getTime() - sec * 1000);
const kase = (ref: string, over: Partial<OpenCase>): OpenCase => ({ ref, status: 'open', priority: 'normal', policy: 'notify', customerId: 'C1', noticesSent: 1, openedAt: now, ...over });
const queue = (name: string, oldestWaitingSec: number) => ({ name, oldestWaitingSec, counts: { waiting: 1, active: 0, delayed: 0, prioritized: 0, failed: 0, completed: 0 } });

describe('SLA clocks', () => {
  it('breach the acknowledgement clock on the oldest waiting job, warn past warnAt', () => {
    const f = slaFindings([queue('notify', sla.acknowledgeSec + 5), queue('triage', sla.acknowledgeSec * 0.9), queue('dead-letter', 99_999)], [], sla, now);
    assert.deepEqual(f.breaches.map((b) => [b.clock, b.subject, b.seconds]), [['acknowledge', 'notify queue', 5]]);
    assert.deepEqual(f.warnings.map((w) => w.subject), ['triage queue']);
  });

  it('run the notice clock until the first notice, the review clock while awaiting review, by priority', () => {
    const f = slaFindings([], [
      kase('N', { noticesSent: 0, openedAt: ago(sla.noticeSec.normal + 1) }),
      kase('U', { status: 'awaiting_review', priority: 'urgent', policy: 'review', openedAt: ago(sla.reviewSec.urgent + 60) }),
      kase('L', { status: 'awaiting_review', priority: 'low', policy: 'review', openedAt: ago(sla.reviewSec.urgent + 60) }),
      kase('S', { noticesSent: 1, openedAt: ago(sla.noticeSec.normal * 2) }),
    ], sla, now);
    assert.deepEqual(f.breaches.map((b) => `${b.subject}:${b.clock}`).sort(), ['N:notice', 'U:review']);
  });

  it('pause the resolution clock while the case waits for the customer', () => {
    const old = ago(sla.resolveSec.normal + 10);
    assert.equal(slaFindings([], [kase('R', { openedAt: old })], sla, now).breaches[0]!.clock, 'resolve');
    assert.equal(slaFindings([], [kase('R', { openedAt: old, status: 'waiting_customer' })], sla, now).breaches.length, 0);
  });

  it('group findings into one alert: counts per clock and the ten worst', () => {
    const cases = Array.from({ length: 500 }, (_, i) => kase(`AD-2026-${String(i).padStart(6, '0')}`, { status: 'awaiting_review', policy: 'review', openedAt: ago(sla.reviewSec.normal + i) }));
    const f = slaFindings([], cases, sla, now);
    const text = alertText('breach', f.breaches, 'Desk');
    assert.match(text, /^Desk: 500 SLA breach\(es\) \(review 500\)/);
    assert.equal(text.split('\n').filter((l) => l.startsWith('- ')).length, 10);
    assert.match(text.split('\n')[1]!, /AD-2026-000499 \(normal\): review overdue by 499 s/, 'worst first');
    assert.match(text, /… and 490 more/);
  });
});
