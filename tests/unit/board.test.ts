import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { casePage, span, type PageContext } from '../../src/http/board/board-pages.ts';
import { byDeadline, listPage } from '../../src/http/board/list-pages.ts';
import type { CaseDetail, CaseListRow } from '../../src/cases/case-queries.ts';
import { loadConfig } from '../../src/config/load.ts';

const sla = loadConfig({ env: {} }).sla;
const now = new Date('2026-11-20T12:00:00Z');
const ago = (sec: number): string => new Date(now.getTime() - sec * 1000).toISOString();
const row = (ref: string, over: Partial<CaseListRow>): CaseListRow => ({
  ref, status: 'open', priority: 'normal', category: 'phishing', customer: 'C1', target: 'www.example.test', targetType: 'domain', policy: 'notify',
  reports: 1, reporters: 1, campaign: null, campaignReports: null, firstSeen: ago(0), lastSeen: ago(0), openedAt: ago(0), noticesSent: 1, firstNoticeAt: ago(0), reviewedAt: null, pausedSec: 0, closedAt: null, outcome: null, ...over,
});
const ctx: PageContext = { deskName: 'Desk', operator: { name: 'alice', role: 'agent' }, signedIn: true, csrf: 'c'.repeat(40) };

describe('the case board pages', () => {
  it('order cases by their nearest deadline: most overdue first, then least time left, then no clock', () => {
    const rows = [
      row('A-2026-000001', { openedAt: ago(60) }),
      row('A-2026-000002', { status: 'awaiting_review', priority: 'urgent', openedAt: ago(sla.reviewSec.urgent + 100) }),
      row('A-2026-000003', { status: 'waiting_customer', openedAt: ago(sla.resolveSec.normal * 2) }),
      row('A-2026-000004', { noticesSent: 0, firstNoticeAt: null, openedAt: ago(sla.noticeSec.normal + 5) }),
      row('A-2026-000005', { openedAt: ago(sla.resolveSec.normal * sla.warnAt + 10) }),
    ];
    const sorted = byDeadline(rows, sla, now);
    assert.deepEqual(sorted.map((r) => [r.row.ref, r.next?.clock ?? null, r.state]), [
      ['A-2026-000002', 'review', 'breached'],
      ['A-2026-000004', 'notice', 'breached'],
      ['A-2026-000005', 'resolve', 'due'],
      ['A-2026-000001', 'resolve', 'ok'],
      ['A-2026-000003', null, 'none'],
    ]);
    assert.equal(sorted[0]!.left, -100);
    assert.deepEqual(byDeadline(rows, sla, now, { due: 'breached' }).map((r) => r.row.ref), ['A-2026-000002', 'A-2026-000004']);
  });

  it('say durations in the unit a person reads', () => {
    assert.deepEqual([span(5), span(-150), span(5400), span(86400), span(3 * 86400)], ['5 s', '3 min', '2 h', '24 h', '3 d']);
  });

  it('escape what strangers wrote: targets, notes and history never become markup', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const list = listPage(ctx, byDeadline([row('A-2026-000001', { target: evil, customer: evil })], sla, now), {}, 10);
    assert.ok(!list.includes('<img'));
    assert.ok(list.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'));
    const detail: CaseDetail = {
      ...row('A-2026-000001', { target: evil }), owner: evil, reason: evil, trusted: false, flags: [], escalations: 0,
      reportsList: [], reporterList: [], linked: [{ ref: 'A-2026-000009', target: evil, status: 'open', via: 'same report' }],
      history: [{ at: ago(0), actor: evil, kind: 'note', detail: { text: `</td><script>alert(1)</script>` } }],
    };
    const page = casePage(ctx, detail, sla, now);
    assert.ok(!page.includes('<img') && !page.includes('<script>'));
    assert.match(page, /text: &lt;\/td&gt;&lt;script&gt;/);
  });

  it('label every form control', () => {
    const detail: CaseDetail = { ...row('A-2026-000001', { status: 'awaiting_review' }), owner: null, reason: null, trusted: false, flags: [], escalations: 0, reportsList: [], reporterList: [], linked: [], history: [] };
    for (const page of [casePage(ctx, detail, sla, now), listPage(ctx, [], {}, 10)]) {
      const ids = [...page.matchAll(/<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);
      const controls = [...page.matchAll(/<(?:input|select|textarea)\b(?![^>]*type="hidden")/g)].length;
      assert.equal(ids.length, controls, 'every visible control has an id');
      for (const id of ids) assert.ok(page.includes(`<label for="${id}">`), `a label for #${id}`);
    }
  });
});
