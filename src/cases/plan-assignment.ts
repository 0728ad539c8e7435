import type { Config } from '../config/schema.ts';
import { evaluateCase, higher, type CaseChange, type CaseRuleSettings, type CaseState, type Incoming } from './case-rules.ts';
import { type CaseStatus } from './case-vocabulary.ts';
import { headOf, summaryOf, type CaseRow, type CaseSummary } from './case-row.ts';
import { chooseRung, incidentsBefore, rungDeadline, type PriorIncidents, type RungChoice } from './ladder.ts';
import type { Category, Priority } from '../config/category-names.ts';
import { severer } from './case-family.ts';
import type { NoticePolicy } from './notice-policy.ts';
import type { CaseLink, ReportInput } from './plan-report.ts';

/**
 * What a batch of reports does to its cases, planned from the rows the store
 * read and locked: each case's new counts, status and priority, the notices
 * and escalations due, the ladder's rung for a first notice, the history
 * lines, and each report's outcome. Pure: the store (assign-reports.ts) reads,
 * locks and writes; every rule lives here or in case-rules.ts and ladder.ts.
 */

/** What assigning one report did: its cases, and the mails it set off. */
export interface ReportOutcome {
  messageKey: string;
  /** The report was assigned before (a retried or duplicated job): same cases, same mails. */
  replay: boolean;
  cases: CaseSummary[];
  /** Notices due: the case's reports in all when decided (total), and new since the previous notice. */
  notices: Array<{ caseId: string; seq: number; newReports: number; total?: number; rung?: number }>;
  escalation: { seq: number; caseIds: string[]; reasons: string[] } | null;
}

/** A history line for a case. */
export interface PlannedEvent {
  caseId: string;
  kind: string;
  detail: Record<string, unknown>;
}

/** A case of the batch once its reports joined it, before the ladder. */
export interface PlannedCase extends CaseChange {
  row: CaseRow;
  state: CaseState;
  /** The reports whose outcome carries this case's notice(s), in order. */
  noticeReports: string[];
  /** The batch's reports of this case, in the batch's order. */
  order: string[];
  why: string[];
  firstSeen: Date;
  lastSeen: Date;
}

/** The write to one case row. */
export interface CaseUpdate {
  id: string;
  reportCount: number;
  reporterCount: number;
  maxFromOne: number;
  firstSeen: Date;
  lastSeen: Date;
  priority: Priority;
  status: CaseStatus;
  trusted: boolean;
  /** Notices sent by this batch (0: notices_sent and notified_* stay). */
  notices: number;
  escalate: boolean;
  reason: string | null;
  campaignId: string | null;
  rung: string | null;
  deadlineAt: Date | null;
  /** A conduct case takes the most severe category of its reports, and that category's policy. */
  category: Category;
  policy: NoticePolicy;
}

export interface AssignmentPlan {
  updates: CaseUpdate[];
  /** The cases' history lines, in the order they are written. */
  events: PlannedEvent[];
  /** One per report, in the batch's order. */
  outcomes: ReportOutcome[];
}

/** A reporter flagged for manifestly unfounded notices (DSA art. 23) is still heard, at low priority, and raises nothing. */
export function demoteUnfounded(reports: readonly ReportInput[], unfounded: ReadonlySet<string>): ReportInput[] {
  if (!unfounded.size) return [...reports];
  return reports.map((r) => (r.reporter && unfounded.has(r.reporter.hash) ? { ...r, priority: 'low', trusted: false, escalate: null } : r));
}

/**
 * Each case key of the batch with its link (the first report naming it
 * decides, but a conduct case opens as its most severe report), keys in the
 * store's lock order.
 */
export function caseLinks(reports: readonly ReportInput[]): { links: Map<string, CaseLink>; keys: string[] } {
  const links = new Map<string, CaseLink>();
  for (const r of reports) {
    for (const l of r.links) {
      const had = links.get(l.key);
      if (!had || severer(had.category, l.category) !== had.category) links.set(l.key, l);
    }
  }
  return { links, keys: [...links.keys()].sort() };
}

/**
 * A case as its new reports leave its category: a conduct case takes the
 * most severe report's category and policy ("threats" joining "harassment"
 * makes it a threat case); with a history line when it changes.
 */
function withSeverest(row: CaseRow, links: readonly CaseLink[], created: boolean): { row: CaseRow; event: PlannedEvent | null } {
  let top: CaseLink | null = null;
  for (const l of links) if (severer(top?.category ?? row.category, l.category) !== (top?.category ?? row.category)) top = l;
  if (!top) return { row, event: null };
  const moved = { ...row, category: top.category, policy: top.policy };
  return { row: moved, event: created ? null : { caseId: row.id, kind: 'category', detail: { from: row.category, to: top.category, why: 'conduct against a person: the case takes its most severe report' } } };
}

/**
 * A case waiting for a person to confirm its target (only named so far),
 * joined by a report that states or accuses it: that report confirms it, and
 * the category's policy applies (a notify case sends its first notice now,
 * unless a person already decided to keep it held).
 */
function confirmedByReport(row: CaseRow, links: readonly CaseLink[], created: boolean): { row: CaseRow; event: PlannedEvent | null } {
  if (created || row.policy !== 'confirm') return { row, event: null };
  const sure = links.find((l) => l.policy !== 'confirm');
  if (!sure) return { row, event: null };
  const reopen = sure.policy === 'notify' && row.status === 'awaiting_review' && row.notices_sent === 0 && !row.reviewed_at;
  return {
    row: { ...row, policy: sure.policy, ...(reopen ? { status: 'open' as const } : {}) },
    event: { caseId: row.id, kind: 'target-confirmed', detail: { policy: sure.policy, by: 'a later report states or accuses it' } },
  };
}

const reportsOf = (reports: readonly ReportInput[], key: string): ReportInput[] => reports.filter((r) => r.links.some((l) => l.key === key));

/**
 * How a case the batch opens starts: its first report's time, and the status
 * and priority it keeps in most cases (written at insert, so the update that
 * follows changes no indexed column: a HOT update).
 */
export function opening(reports: readonly ReportInput[], link: CaseLink): { firstSeen: string; status: CaseStatus; priority: Priority } {
  const mine = reportsOf(reports, link.key);
  return {
    firstSeen: mine.map((r) => r.receivedAt).sort()[0]!,
    status: link.policy === 'notify' ? 'open' : 'awaiting_review',
    priority: mine.map((r) => r.priority).reduce(higher),
  };
}

/** A case open with no report for longer than the join window is closed as quiet; the next report opens a new one. */
export const isQuiet = (row: CaseRow, now: Date, joinWindowSec: number): boolean => row.status === 'open' && now.getTime() - row.last_seen.getTime() > joinWindowSec * 1000;

export const quietClosed = (caseId: string): PlannedEvent => ({ caseId, kind: 'closed', detail: { outcome: 'quiet', why: 'no report within cases.joinWindowSec' } });

/** Per case id: reporters new to it, and the most reports one reporter sent it (from the case_reporters tally). */
export interface ReporterTally {
  newReporters: ReadonlyMap<string, number>;
  maxFromOne: ReadonlyMap<string, number>;
  /** Cases a reporter of the batch wrote to before: a repeat. */
  repeated?: ReadonlySet<string>;
}

/** Each case's new state, decided by the pure rules under the row locks. */
export function evaluateCases(
  reports: readonly ReportInput[],
  keys: readonly string[],
  rows: ReadonlyMap<string, CaseRow>,
  created: ReadonlySet<string>,
  tally: ReporterTally,
  s: CaseRuleSettings,
  now: Date,
): Map<string, PlannedCase> {
  const out = new Map<string, PlannedCase>();
  for (const key of keys) {
    const mine = reportsOf(reports, key);
    const links = mine.flatMap((r) => r.links.filter((l) => l.key === key));
    const severest = withSeverest(rows.get(key)!, links, created.has(key));
    const confirmed = confirmedByReport(severest.row, links, created.has(key));
    const row = confirmed.row;
    const times = mine.map((r) => Date.parse(r.receivedAt));
    const state: CaseState = {
      ...headOf(row, created.has(key)),
      trusted: row.trusted,
      reportCount: row.report_count + mine.length,
      reporterCount: row.reporter_count + (tally.newReporters.get(row.id) ?? 0),
      maxFromOne: Math.max(row.max_from_one, tally.maxFromOne.get(row.id) ?? 0),
      noticesSent: row.notices_sent,
      notifiedAt: row.notified_at,
      notifiedReports: row.notified_reports,
      escalations: row.escalations,
      escalatedAt: row.escalated_at,
      repeated: tally.repeated?.has(row.id) ?? false,
    };
    const inc: Incoming = {
      priority: mine.map((r) => r.priority).reduce(higher),
      trusted: mine.some((r) => r.trusted),
      escalate: mine.find((r) => r.escalate)?.escalate ?? null,
    };
    const change = evaluateCase(state, inc, s, now);
    if (confirmed.event) change.events.unshift({ kind: confirmed.event.kind, detail: confirmed.event.detail });
    if (severest.event) change.events.unshift({ kind: severest.event.kind, detail: severest.event.detail });
    // With noticeUpdateIntervalSec 0 every report is a notice (an update each), even in one batch.
    const noticeReports = change.notice ? (s.noticeUpdateIntervalSec === 0 ? mine.map((r) => r.messageKey) : [mine[0]!.messageKey]) : [];
    out.set(key, {
      ...change,
      row,
      state,
      noticeReports,
      order: mine.map((r) => r.messageKey),
      why: mine[0]!.why,
      firstSeen: new Date(Math.min(row.first_seen.getTime(), ...times)),
      lastSeen: new Date(Math.max(row.last_seen.getTime(), ...times)),
    });
  }
  return out;
}

const isFirstNotice = (c: PlannedCase): boolean => c.notice?.seq === 1 && !!c.row.customer_id;

/** The cases whose first notice is due, with a customer: what the ladder needs the customers' earlier incidents for. */
export function firstNotices(cases: ReadonlyMap<string, PlannedCase>): PlannedCase[] {
  return [...cases.values()].filter(isFirstNotice);
}

/**
 * Graduated response: a case's first notice takes the rung its customer's
 * history calls for; a rung that needs a person holds the case for review
 * (and alerts one) instead of notifying.
 */
function climbLadder(c: PlannedCase, choice: RungChoice): PlannedCase {
  if (!choice.rung.confirm) {
    // The rung goes with the notice it chose, in the same history line.
    // (Why this rung only when it is not simply the first one.)
    const ladder = { rung: choice.rung.name, deadlineDays: choice.rung.deadlineDays, ...(choice.index > 0 || choice.why.includes(',') ? { ladder: choice.why } : {}) };
    return { ...c, events: c.events.map((e) => (e.kind === 'notice' ? { kind: 'notice', detail: { ...e.detail, ...ladder } } : e)) };
  }
  return {
    ...c,
    notice: null,
    noticeReports: [],
    status: 'awaiting_review',
    events: [...c.events.filter((e) => e.kind !== 'notice'), { kind: 'ladder', detail: { rung: choice.rung.name, why: choice.why, held: 'a person must confirm' } }],
    escalation: c.escalation ?? (c.state.escalations === 0 ? { seq: 1, reason: `${choice.rung.name} for customer ${c.row.customer_id} (${choice.why}): a person must confirm` } : null),
  };
}

/** What the rest of the plan needs that the store read after evaluateCases. */
export interface AfterEvaluation {
  /** Campaign of each case the batch's spam reports joined (campaign-join.ts). */
  campaignOf: ReadonlyMap<string, string>;
  /** Each customer's earlier incidents (prior-incidents.ts), for firstNotices' customers. */
  prior: PriorIncidents;
}

/** The rest of the plan: the ladder, the history lines, the rows' writes and each report's outcome. */
export function finishPlan(reports: readonly ReportInput[], evaluated: ReadonlyMap<string, PlannedCase>, read: AfterEvaluation, ladder: Config['ladder'], now: Date): AssignmentPlan {
  const cases = new Map(evaluated);
  const rungOf = new Map<string, RungChoice>();
  if (ladder.enabled) {
    for (const [key, c] of cases) {
      if (!isFirstNotice(c)) continue;
      const choice = chooseRung(incidentsBefore(read.prior, c.row.customer_id!, read.campaignOf.get(c.row.id) ?? c.row.campaign_id), c.row.category, c.row.flags ?? [], ladder);
      rungOf.set(c.row.id, choice);
      cases.set(key, climbLadder(c, choice));
    }
  }
  const cs = [...cases.values()];

  const events: PlannedEvent[] = [];
  for (const c of cs) {
    // A case opened with its first notice records both in one history line
    // (most cases: a row fewer per case).
    const notice = c.state.created ? c.events.find((e) => e.kind === 'notice') : undefined;
    for (const e of c.events) {
      if (e === notice) continue;
      const detail = e.kind === 'opened' ? { ...e.detail, why: c.why, ...(notice ? { notice: notice.detail } : {}) } : e.detail;
      events.push({ caseId: c.row.id, kind: e.kind, detail });
    }
  }

  const updates = cs.map((c): CaseUpdate => {
    const rung = c.notice ? rungOf.get(c.row.id) : undefined;
    return {
      id: c.row.id,
      reportCount: c.state.reportCount,
      reporterCount: c.state.reporterCount,
      maxFromOne: c.state.maxFromOne,
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      priority: c.priority,
      status: c.status,
      trusted: c.trusted,
      notices: c.noticeReports.length,
      escalate: !!c.escalation,
      reason: c.escalation?.reason ?? null,
      campaignId: read.campaignOf.get(c.row.id) ?? null,
      rung: rung?.rung.name ?? null,
      deadlineAt: rung ? rungDeadline(rung.rung, now) : null,
      category: c.row.category,
      policy: c.row.policy,
    };
  });

  // Each notice and escalation goes with the first report of the batch that set it off.
  const outcomes: ReportOutcome[] = [];
  const claimed = new Set<string>();
  for (const r of reports) {
    const mine = r.links.map((l) => cases.get(l.key)!);
    const notices: ReportOutcome['notices'] = [];
    const esc: { seq: number; caseIds: string[]; reasons: string[] } = { seq: 0, caseIds: [], reasons: [] };
    for (const c of mine) {
      const nth = c.notice ? c.noticeReports.indexOf(r.messageKey) : -1;
      const total = c.state.reportCount - c.order.length + c.order.indexOf(r.messageKey) + 1;
      const rung = rungOf.get(c.row.id)?.index;
      if (nth === 0) notices.push({ caseId: c.row.id, seq: c.notice!.seq, newReports: c.noticeReports.length > 1 ? 1 : c.notice!.newReports, total: c.noticeReports.length > 1 ? total : c.state.reportCount, ...(rung !== undefined ? { rung } : {}) });
      else if (nth > 0) notices.push({ caseId: c.row.id, seq: c.notice!.seq + nth, newReports: 1, total });
      if (c.escalation && !claimed.has(c.row.id)) {
        claimed.add(c.row.id);
        esc.seq = Math.max(esc.seq, c.escalation.seq);
        esc.caseIds.push(c.row.id);
        if (!esc.reasons.includes(c.escalation.reason)) esc.reasons.push(c.escalation.reason);
      }
    }
    // Each report sees the case as it was once it joined: the Nth report of a batch, N more than before.
    const summaries = mine.map((c) =>
      summaryOf(
        {
          ...c.row,
          priority: c.priority,
          status: c.status,
          report_count: c.state.reportCount - c.order.length + c.order.indexOf(r.messageKey) + 1,
          reporter_count: c.state.reporterCount,
          campaign_id: read.campaignOf.get(c.row.id) ?? c.row.campaign_id,
        },
        c.state.created && c.order.indexOf(r.messageKey) === 0,
      ),
    );
    outcomes.push({ messageKey: r.messageKey, replay: false, cases: summaries, notices, escalation: esc.seq ? esc : null });
  }
  return { updates, events, outcomes };
}
