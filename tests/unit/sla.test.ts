import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import type { AckState } from '../../src/ops/pending-acks.ts';
import { alertText, slaFindings, type OpenCase } from '../../src/ops/sla.ts';

const sla = loadConfig({ env: {} }).sla;
const now = new Date('2026-11-20T12:00:00Z');
const ago = (sec: number): Date => new Date(now.getTime() - sec * 1000);
const kase = (ref: string, over: Partial<OpenCase>): OpenCase => ({
  ref, status: 'open', priority: 'normal', category: 'phishing', policy: 'notify', customerId: 'C1', noticesSent: 1, firstNoticeAt: now, reviewedAt: null, openedAt: now, pausedSec: 0, ...over,
});
const noAcks: AckState = { breached: 0, warned: 0, oldestAt: null, waiting: 0 };

describe('SLA clocks', () => {
  it('count the complaints not acknowledged in time on the acknowledgement clock, the oldest giving the time; warn past warnAt', () => {
    const f = slaFindings({ breached: 20, warned: 3, oldestAt: ago(sla.acknowledgeSec + 5).getTime(), waiting: 30 }, [], sla, now);
    assert.deepEqual(f.breaches.map((b) => [b.clock, b.subject, b.seconds, b.count]), [['acknowledge', 'complaints', 5, 20]]);
    assert.equal(f.warnings.length, 0, 'a breach covers the complaints not yet overdue');
    const w = slaFindings({ breached: 0, warned: 3, oldestAt: ago(sla.acknowledgeSec * 0.9).getTime(), waiting: 3 }, [], sla, now);
    assert.deepEqual(w.warnings.map((x) => [x.clock, x.count, x.seconds]), [['acknowledge', 3, Math.round(sla.acknowledgeSec * 0.1)]]);
    assert.equal(slaFindings(noAcks, [], sla, now).breaches.length + slaFindings(noAcks, [], sla, now).warnings.length, 0);
    assert.match(alertText('breach', f.breaches, 'Desk'), /^Desk: 20 SLA breach\(es\) \(acknowledge 20\)\n- 20 complaints not acknowledged: the oldest overdue by 5 s$/);
  });

  it('run the notice clock until the relay accepted the first notice, the review clock until a person decided, by priority', () => {
    const f = slaFindings(noAcks, [
      kase('N', { noticesSent: 0, firstNoticeAt: null, openedAt: ago(sla.noticeSec.normal + 1) }),
      // Queued (noticesSent 1) but not accepted by the relay yet: still running.
      kase('Q', { noticesSent: 1, firstNoticeAt: null, openedAt: ago(sla.noticeSec.normal + 1) }),
      kase('U', { status: 'awaiting_review', priority: 'urgent', policy: 'review', firstNoticeAt: null, openedAt: ago(sla.reviewSec.urgent + 60) }),
      kase('L', { status: 'awaiting_review', priority: 'low', policy: 'review', firstNoticeAt: null, openedAt: ago(sla.reviewSec.urgent + 60) }),
      kase('S', { noticesSent: 1, openedAt: ago(sla.noticeSec.normal * 2) }),
      // Withheld by a person: decided, the notice stays held, no review clock.
      kase('W', { status: 'awaiting_review', priority: 'urgent', policy: 'review', firstNoticeAt: null, reviewedAt: ago(10), openedAt: ago(sla.reviewSec.urgent + 60) }),
    ], sla, now);
    assert.deepEqual(f.breaches.map((b) => `${b.subject}:${b.clock}`).sort(), ['N:notice', 'Q:notice', 'U:review']);
  });

  it('pause the resolution clock while the case waits for the customer', () => {
    const old = ago(sla.resolveSec.normal + 10);
    assert.equal(slaFindings(noAcks, [kase('R', { openedAt: old })], sla, now).breaches[0]!.clock, 'resolve');
    assert.equal(slaFindings(noAcks, [kase('R', { openedAt: old, status: 'waiting_customer' })], sla, now).breaches.length, 0);
    // Back from waiting 20 s: due 20 s later than it would have been.
    assert.equal(slaFindings(noAcks, [kase('R', { openedAt: old, pausedSec: 20 })], sla, now).breaches.length, 0);
    assert.equal(slaFindings(noAcks, [kase('R', { openedAt: old, pausedSec: 5 })], sla, now).breaches[0]!.seconds, 5);
  });

  it('group findings into one alert: counts per clock and the ten worst', () => {
    const cases = Array.from({ length: 500 }, (_, i) => kase(`AD-2026-${String(i).padStart(6, '0')}`, { status: 'awaiting_review', policy: 'review', openedAt: ago(sla.reviewSec.normal + i) }));
    const f = slaFindings(noAcks, cases, sla, now);
    const text = alertText('breach', f.breaches, 'Desk');
    assert.match(text, /^Desk: 500 SLA breach\(es\) \(review 500\)/);
    assert.equal(text.split('\n').filter((l) => l.startsWith('- ')).length, 10);
    assert.match(text.split('\n')[1]!, /AD-2026-000499 \(normal\): review overdue by 499 s/, 'worst first');
    assert.match(text, /… and 490 more/);
  });

  it('count only business hours for the priorities they cover; urgent clocks run around the clock', () => {
    const office = { ...sla, reviewSec: { ...sla.reviewSec, normal: 8 * 3600, urgent: 3600 }, businessHours: { enabled: true, timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', priorities: ['normal' as const, 'low' as const] } };
    // Opened Friday 2026-11-20 16:00 UTC, awaiting review; now is Monday 23 at 12:00.
    const friday = new Date('2026-11-20T16:00:00Z');
    const monday = new Date('2026-11-23T12:00:00Z');
    const cases = [kase('NORMAL', { status: 'awaiting_review', policy: 'review', openedAt: friday }), kase('URGENT', { status: 'awaiting_review', policy: 'review', priority: 'urgent', openedAt: friday })];
    const f = slaFindings(noAcks, cases, office, monday);
    // 1 h on Friday and 3 h on Monday of the 8 h: not due; the urgent one ran through the weekend.
    assert.deepEqual(f.breaches.filter((b) => b.clock === 'review').map((b) => b.subject), ['URGENT']);
    assert.equal(f.warnings.filter((w) => w.subject === 'NORMAL').length, 0);
    // Due Monday 16:00 (1 h Friday + 7 h Monday); warned from 80%, Monday 14:24.
    const later = slaFindings(noAcks, cases, office, new Date('2026-11-23T14:30:00Z'));
    assert.deepEqual(later.warnings.filter((w) => w.subject === 'NORMAL').map((w) => [w.clock, w.seconds]), [['review', 5400]]);
    const after = slaFindings(noAcks, cases, office, new Date('2026-11-23T16:00:01Z'));
    assert.ok(after.breaches.some((b) => b.subject === 'NORMAL' && b.clock === 'review' && b.seconds === 1));
    // Off, the same normal case breached on Saturday.
    assert.ok(slaFindings(noAcks, cases, sla, monday).breaches.some((b) => b.subject === 'NORMAL'));
  });

  it("use a category's own limits where set, the priority's otherwise", () => {
    const strict = { ...sla, categories: { csam: { reviewSec: { normal: 600 } } } };
    const cases = [
      kase('CSAM', { status: 'awaiting_review', policy: 'review', category: 'csam', openedAt: ago(700) }),
      kase('SPAM', { status: 'awaiting_review', policy: 'review', category: 'spam', openedAt: ago(700) }),
    ];
    assert.deepEqual(slaFindings(noAcks, cases, strict, now).breaches.map((b) => `${b.subject}:${b.clock}:${b.seconds}`), ['CSAM:review:100']);
    assert.equal(slaFindings(noAcks, cases, sla, now).breaches.length, 0, 'without the override neither is due');
  });
});
