import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupBySignal, keptCampaign } from '../../src/cases/campaign-groups.ts';
import type { CaseRow } from '../../src/cases/case-row.ts';
import { caseLinks, demoteUnfounded, evaluateCases, finishPlan, firstNotices, isQuiet, type AfterEvaluation } from '../../src/cases/plan-assignment.ts';
import { caseKey, type CaseLink, type ReportInput } from '../../src/cases/plan-report.ts';
import { decodeEffects, encodeEffects } from '../../src/cases/report-effects.ts';
import { incidentsBefore, incidentsOf } from '../../src/cases/ladder.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { openedRow, tallyOf } from '../support/fresh-cases.ts';

// The case planner without a database: the rows are what the store would have read and locked.
const config = loadConfig({ overrides: { log: { level: 'silent' } } });
const rules = { raise: config.cases.raise, noticeUpdateIntervalSec: 3600, realertIntervalSec: 600 };
const now = new Date('2026-11-20T12:00:00Z');

const link = (over: Partial<CaseLink> = {}): CaseLink => {
  const l = { customerId: 'C1', targetType: 'server' as const, targetValue: '192.0.2.10', category: 'spam' as const, policy: 'notify' as const, ...over };
  return { ...l, key: caseKey(l.customerId, l.targetType, l.targetValue, l.category) };
};

let n = 0;
function report(over: Partial<ReportInput> = {}, links: CaseLink[] = [link()]): ReportInput {
  n += 1;
  const hex = n.toString(16).padStart(32, '0');
  return {
    messageKey: `msg-${hex}`, receivedAt: new Date(now.getTime() - 60_000 + n).toISOString(),
    reporter: { hash: `${n}`.padStart(64, 'a'), address: `r${n}@reporter.test`, name: null, language: 'en' },
    trusted: false, category: 'spam', priority: 'normal', automated: false, evidence: null, escalate: null, links, signals: [], why: ['test'], ...over,
  };
}

/** A case already open, notified `noticesSent` times. */
function openRow(l: CaseLink, over: Partial<CaseRow> = {}): CaseRow {
  return {
    id: '41', ref: 'AD-2026-000041', customer_id: l.customerId, target_type: l.targetType, target_value: l.targetValue, category: l.category, policy: l.policy,
    status: 'waiting_customer', priority: 'normal', trusted: false, report_count: 4, reporter_count: 2, max_from_one: 3, notices_sent: 1,
    notified_at: new Date(now.getTime() - 7200_000), notified_reports: 4, escalations: 0, escalated_at: null, campaign_id: null,
    last_seen: new Date(now.getTime() - 600_000), first_seen: new Date(now.getTime() - 86_400_000), flags: null, ...over,
  };
}

/** Plans a batch: `existing` are open cases found by key; every other key is opened by the batch. */
function plan(reports: ReportInput[], o: { existing?: CaseRow[]; prior?: AfterEvaluation['prior']; campaignOf?: Map<string, string>; ladder?: Config['ladder']; settings?: typeof rules } = {}) {
  const { keys } = caseLinks(reports);
  const rows = new Map<string, CaseRow>();
  const created = new Set<string>();
  keys.forEach((k, i) => {
    const found = o.existing?.find((r) => caseKey(r.customer_id, r.target_type, r.target_value, r.category) === k);
    if (found) rows.set(k, found);
    else rows.set(k, openedRow(reports, k, i + 100)), created.add(k);
  });
  const evaluated = evaluateCases(reports, keys, rows, created, tallyOf(reports, rows), o.settings ?? rules, now);
  return { evaluated, plan: finishPlan(reports, evaluated, { campaignOf: o.campaignOf ?? new Map(), prior: o.prior ?? new Map() }, o.ladder ?? config.ladder, now) };
}

let lastReport: ReportInput | undefined;

describe('case planner (pure)', () => {
  it('three reports opening one case: one notice, with the first report; each report sees the case as it was once it joined', () => {
    const rs = [report(), report(), report()];
    const { plan: p } = plan(rs);
    assert.equal(p.updates.length, 1);
    assert.equal(p.updates[0]!.reportCount, 3);
    assert.equal(p.updates[0]!.reporterCount, 3);
    assert.equal(p.updates[0]!.notices, 1);
    assert.deepEqual(p.outcomes.map((o) => o.cases[0]!.reportCount), [1, 2, 3]);
    assert.deepEqual(p.outcomes.map((o) => o.cases[0]!.created), [true, false, false], 'only the first report opened it');
    assert.deepEqual(p.outcomes.map((o) => o.notices.length), [1, 0, 0]);
    assert.deepEqual(p.outcomes[0]!.notices[0], { caseId: '101', seq: 1, newReports: 3, total: 3, rung: 0 });
    // Opened and its first notice are one history line.
    assert.deepEqual(p.events.map((e) => e.kind), ['opened']);
    assert.equal((p.events[0]!.detail.notice as { rung: string }).rung, 'reminder');
    assert.deepEqual(p.events[0]!.detail.why, ['test']);
    assert.equal(p.updates[0]!.rung, 'reminder');
    assert.equal(p.updates[0]!.deadlineAt!.toISOString(), '2026-12-04T12:00:00.000Z', 'reminder: 14 days to answer');
  });

  it('with noticeUpdateIntervalSec 0 every report of a batch is a notice of its own, numbered on', () => {
    const l = link();
    const rs = [report({}, [l]), report({}, [l])];
    const { plan: p } = plan(rs, { existing: [openRow(l)], settings: { ...rules, noticeUpdateIntervalSec: 0 } });
    assert.deepEqual(p.outcomes.map((o) => o.notices.map((x) => [x.seq, x.newReports, x.total])), [[[2, 1, 5]], [[3, 1, 6]]]);
    assert.equal(p.updates[0]!.notices, 2);
    assert.equal(p.updates[0]!.rung, null, 'an update keeps the rung of the first notice');
  });

  it('an update within the interval sends nothing and the counts still grow', () => {
    const l = link();
    lastReport = report({}, [l]);
    const { plan: p } = plan([lastReport], { existing: [openRow(l, { notified_at: new Date(now.getTime() - 60_000) })] });
    assert.deepEqual(p.outcomes[0]!.notices, []);
    assert.equal(p.updates[0]!.reportCount, 5);
    assert.equal(p.updates[0]!.maxFromOne, 3, 'the most from one reporter stays the row\'s when the batch adds fewer');
    const r = p.outcomes[0]!.messageKey;
    assert.ok(r);
    assert.equal(p.updates[0]!.lastSeen.toISOString(), new Date(Math.max(openRow(l).last_seen.getTime(), Date.parse(lastReport!.receivedAt))).toISOString(), 'last seen moves to the newest report');
    assert.equal(p.updates[0]!.firstSeen.toISOString(), openRow(l).first_seen.toISOString(), 'first seen stays');
  });

  it("a customer's earlier incidents climb the ladder; its own campaign is not one of them", () => {
    const rs = [report({ signals: ['s1'] })];
    const prior = new Map([['C1', [{ refs: ['AD-2026-000002'], campaigns: new Set<string>() }, { refs: ['AD-2026-000003', 'AD-2026-000004'], campaigns: new Set(['7']) }]]]);
    const inOwnCampaign = plan(rs, { prior, campaignOf: new Map([['101', '7']]) }).plan;
    assert.equal(inOwnCampaign.outcomes[0]!.notices[0]!.rung, 1, 'one earlier incident: the second rung');
    assert.equal(inOwnCampaign.updates[0]!.rung, 'warning');
    assert.equal(inOwnCampaign.updates[0]!.campaignId, '7');
    const elsewhere = plan([report()], { prior }).plan;
    assert.equal(elsewhere.outcomes[0]!.notices[0]!.rung, 2);
    assert.match(String((elsewhere.events[0]!.detail.notice as { ladder: string }).ladder), /^2 earlier incident\(s\) in \d+ days \(AD-2026-000002, AD-2026-000003, AD-2026-000004\)$/, 'the reason names the earlier cases');
    assert.match(String((inOwnCampaign.events[0]!.detail.notice as { ladder: string }).ladder), /\(AD-2026-000002\)$/, 'its own campaign\'s cases are not named');
  });

  it('a rung that needs a person holds the case: no notice, awaiting review, one escalation naming the rung', () => {
    const prior = new Map([['C1', [0, 1, 2, 3].map((i) => ({ refs: [`AD-2026-00001${i}`], campaigns: new Set<string>() }))]]);
    const { evaluated, plan: p } = plan([report()], { prior });
    assert.equal(firstNotices(evaluated).length, 1, 'the ladder reads the customer of a first notice');
    assert.deepEqual(p.outcomes[0]!.notices, []);
    assert.equal(p.updates[0]!.status, 'awaiting_review');
    assert.equal(p.updates[0]!.notices, 0);
    assert.equal(p.updates[0]!.rung, null);
    assert.match(p.outcomes[0]!.escalation!.reasons[0]!, /^suspension_recommended for customer C1 \(4 earlier incident\(s\) in \d+ days \(AD-2026-000010, AD-2026-000011, AD-2026-000012, AD-2026-000013\)\): a person must confirm$/);
    assert.deepEqual(p.events.map((e) => e.kind), ['opened', 'ladder'], 'the held notice leaves no notice line');
  });

  it('with the ladder off a first notice carries no rung and nothing is held', () => {
    const prior = new Map([['C1', [0, 1, 2, 3].map((i) => ({ refs: [`AD-2026-00001${i}`], campaigns: new Set<string>() }))]]);
    const { plan: p } = plan([report()], { prior, ladder: { ...config.ladder, enabled: false } });
    assert.deepEqual(p.outcomes[0]!.notices, [{ caseId: '101', seq: 1, newReports: 1, total: 1 }]);
    assert.equal(p.outcomes[0]!.escalation, null);
  });

  it('a report naming two cases: both in its outcome, an escalation once per case, reasons once each', () => {
    const a = link();
    const b = link({ targetValue: '192.0.2.11' });
    const rs = [report({ escalate: 'urgent: a threat' }, [a, b]), report({ escalate: 'urgent: a threat' }, [a])];
    const { plan: p } = plan(rs);
    assert.equal(p.outcomes[0]!.cases.length, 2);
    assert.deepEqual(p.outcomes[0]!.escalation, { seq: 1, caseIds: ['101', '102'], reasons: ['urgent: a threat'] });
    assert.equal(p.outcomes[1]!.escalation, null, 'the second report of the batch raises nothing more');
  });

  it('a reporter flagged as unfounded is heard at low priority and raises nothing', () => {
    const r = report({ priority: 'urgent', trusted: true, escalate: 'urgent' });
    const [d] = demoteUnfounded([r], new Set([r.reporter!.hash]));
    assert.deepEqual([d!.priority, d!.trusted, d!.escalate], ['low', false, null]);
    assert.equal(demoteUnfounded([r], new Set()).at(0), r);
  });

  it('a case open and quiet past the join window is closed; one awaiting review is not', () => {
    const row = openRow(link(), { status: 'open', last_seen: new Date(now.getTime() - 3601_000) });
    assert.equal(isQuiet(row, now, 3600), true);
    assert.equal(isQuiet(row, now, 3602), false);
    assert.equal(isQuiet({ ...row, status: 'awaiting_review' }, now, 3600), false);
  });
});

describe('earlier incidents (pure): repeating after being told', () => {
  const day = 86_400_000;
  const t0 = Date.parse('2026-10-01T10:00:00Z');
  const earlier = (ref: string, openedMs: number, answerDays: number, campaignId: string | null = null) => ({ ref, campaignId, openedAt: new Date(t0 + openedMs), answerBy: new Date(t0 + openedMs + answerDays * day) });

  it('cases opened while the first one\'s time to answer ran are one incident; one opened after it is another', () => {
    const together = ['AD-1', 'AD-2', 'AD-3', 'AD-4'].map((ref, i) => earlier(ref, i * 1000, 14));
    assert.deepEqual(incidentsOf(together).map((i) => i.refs), [['AD-1', 'AD-2', 'AD-3', 'AD-4']]);
    const again = [...together, earlier('AD-5', 15 * day, 7), earlier('AD-6', 16 * day, 7), earlier('AD-7', 30 * day, 3)];
    assert.deepEqual(incidentsOf(again).map((i) => i.refs), [['AD-1', 'AD-2', 'AD-3', 'AD-4'], ['AD-5', 'AD-6'], ['AD-7']]);
  });

  it("a campaign's cases are one incident however far apart; its own campaign does not count for a case", () => {
    const cs = [earlier('AD-1', 0, 14, '9'), earlier('AD-2', 20 * day, 14), earlier('AD-3', 40 * day, 14, '9')];
    const incidents = incidentsOf(cs);
    assert.deepEqual(incidents.map((i) => i.refs), [['AD-1', 'AD-3'], ['AD-2']]);
    const prior = new Map([['C1', incidents]]);
    assert.deepEqual(incidentsBefore(prior, 'C1', '9'), { count: 1, refs: ['AD-2'] });
    assert.deepEqual(incidentsBefore(prior, 'C1', null), { count: 2, refs: ['AD-1', 'AD-3', 'AD-2'] });
    assert.deepEqual(incidentsBefore(prior, 'C2', null), { count: 0, refs: [] });
  });
});

describe('campaign grouping (pure)', () => {
  it('reports sharing any signal are one group, transitively; the oldest campaign they touch is kept', () => {
    const rs = ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((ip, i) => report({ signals: [['a', 'b'], ['b', 'c'], ['x']][i]! }, [link({ targetValue: ip })]));
    const rows = new Map(rs.map((r, i) => [r.links[0]!.key, { id: String(i), campaign_id: i === 1 ? '12' : null }]));
    const groups = groupBySignal(rs, new Map([['c', '9']]), (k) => rows.get(k)!);
    assert.equal(groups.length, 2);
    assert.deepEqual([...groups[0]!.signals].sort(), ['a', 'b', 'c']);
    assert.deepEqual(keptCampaign(groups[0]!), { root: '9', merged: ['12'] });
    assert.deepEqual([...groups[1]!.existing], [], 'a group touching no campaign gets a new one');
  });
});

describe('report effects', () => {
  it('what a report set off survives the round trip a replay takes', () => {
    const { plan: p } = plan([report({ escalate: 'csam' })]);
    const o = p.outcomes[0]!;
    const stored = JSON.parse(JSON.stringify(encodeEffects(o)));
    assert.deepEqual(decodeEffects(stored), { notices: o.notices, escalation: o.escalation });
    assert.equal(encodeEffects({ ...o, notices: [], escalation: null }), null);
  });
});

describe('conduct against a person (pure)', () => {
  const account = (category: 'harassment' | 'violence' | 'privacy' | 'hate' | 'spam', policy: 'review' | 'notify' = 'review') =>
    link({ targetType: 'account', targetValue: 'some_handle', category, policy });
  const victim = { hash: 'f'.repeat(64), address: 'mia@reporter.test', name: 'Mia', language: 'en' };

  it('is one case about one account whatever the wording, with the most severe category; a repeat by the victim raises its priority', () => {
    assert.equal(account('harassment').key, account('violence').key, 'harassment and threats about one account share a key');
    assert.equal(account('privacy').key, account('hate').key);
    assert.notEqual(account('harassment').key, account('spam', 'notify').key, 'spam from the account is another matter');
    assert.notEqual(link({ category: 'harassment' }).key, link({ category: 'violence' }).key, 'on a server, categories stay apart');

    const existing = openRow(account('harassment'), { status: 'awaiting_review', notices_sent: 0, priority: 'normal', report_count: 1, reporter_count: 1, max_from_one: 1 });
    const threat = report({ category: 'violence', priority: 'normal', reporter: victim }, [account('violence')]);
    const { links, keys } = caseLinks([threat]);
    assert.equal(keys.length, 1);
    const rows = new Map([[keys[0]!, existing]]);
    const tally = { newReporters: new Map([[existing.id, 0]]), maxFromOne: new Map([[existing.id, 2]]), repeated: new Set([existing.id]) };
    const evaluated = evaluateCases([threat], keys, rows, new Set(), tally, rules, now);
    const c = evaluated.get(keys[0]!)!;
    assert.equal(c.row.category, 'violence', 'the case takes the threat');
    assert.equal(c.row.policy, links.get(keys[0]!)!.policy);
    assert.equal(c.priority, 'high', 'the victim wrote again: a step up');
    assert.deepEqual(c.events.find((e) => e.kind === 'category')!.detail, { from: 'harassment', to: 'violence', why: 'conduct against a person: the case takes its most severe report' });
    assert.match(String(c.events.find((e) => e.kind === 'priority')!.detail.why), /wrote again/);
    const written = finishPlan([threat], evaluated, { campaignOf: new Map(), prior: new Map() }, config.ladder, now);
    assert.equal(written.updates[0]!.category, 'violence');
    assert.equal(written.outcomes[0]!.cases[0]!.category, 'violence', 'the acknowledgement names the case as it now is');

    // A milder report later leaves the category where it is; another reporter's first report raises nothing.
    const later = report({ category: 'harassment', priority: 'normal' }, [account('harassment')]);
    const again = evaluateCases([later], keys, new Map([[keys[0]!, { ...existing, category: 'violence' as const }]]), new Set(), { newReporters: new Map([[existing.id, 1]]), maxFromOne: new Map([[existing.id, 1]]) }, rules, now).get(keys[0]!)!;
    assert.equal(again.row.category, 'violence');
    assert.equal(again.priority, 'normal');
    assert.equal(again.events.some((e) => e.kind === 'category'), false);
  });

  it('opens as the most severe of a batch', () => {
    const batch = [report({ category: 'harassment' }, [account('harassment')]), report({ category: 'privacy' }, [account('privacy')])];
    const { links, keys } = caseLinks(batch);
    assert.equal(keys.length, 1);
    assert.equal(links.get(keys[0]!)!.category, 'privacy');
  });
});
