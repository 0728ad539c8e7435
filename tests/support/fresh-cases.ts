import type { CaseRow } from '../../src/cases/case-row.ts';
import { caseLinks, evaluateCases, finishPlan, opening, type AssignmentPlan, type ReporterTally } from '../../src/cases/plan-assignment.ts';
import { planReport, type ReportInput } from '../../src/cases/plan-report.ts';
import type { Config } from '../../src/config/schema.ts';
import type { CustomerDirectory } from '../../src/directory/customer-directory.ts';
import type { MailIntent } from '../../src/notify/mail-intent.ts';
import { planMails } from '../../src/notify/plan-mails.ts';
import type { ParsedMessage } from '../../src/parse/parsed-message.ts';
import type { Verdict } from '../../src/triage/verdict.ts';

/** The row the store's INSERT writes for a case a batch opens (assign-reports.ts): numbered from 1, no report counted yet. */
export function openedRow(reports: readonly ReportInput[], key: string, i: number, ref = `AD-2026-${String(i + 1).padStart(6, '0')}`): CaseRow {
  const link = caseLinks(reports).links.get(key)!;
  const o = opening(reports, link);
  const at = new Date(o.firstSeen);
  return {
    id: String(i + 1), ref, customer_id: link.customerId, target_type: link.targetType, target_value: link.targetValue, category: link.category, policy: link.policy,
    status: o.status, priority: o.priority, trusted: false, report_count: 0, reporter_count: 0, max_from_one: 0, notices_sent: 0, notified_at: null,
    notified_reports: 0, escalations: 0, escalated_at: null, campaign_id: null, last_seen: at, first_seen: at, flags: null,
  };
}

/** The case_reporters tally the store would return for a batch whose every reporter is new to each case it names. */
export function tallyOf(reports: readonly ReportInput[], rows: ReadonlyMap<string, CaseRow>): ReporterTally {
  const newReporters = new Map<string, number>();
  const maxFromOne = new Map<string, number>();
  for (const [k, row] of rows) {
    const per = new Map<string, number>();
    for (const r of reports) if (r.reporter && r.links.some((l) => l.key === k)) per.set(r.reporter.hash, (per.get(r.reporter.hash) ?? 0) + 1);
    newReporters.set(row.id, per.size);
    maxFromOne.set(row.id, Math.max(0, ...per.values()));
  }
  return { newReporters, maxFromOne };
}

/** The real planner on a batch that finds no open case: every case opened by it, each reporter new to it, no earlier incident. */
export function planFresh(reports: readonly ReportInput[], config: Readonly<Config>, now = new Date()): AssignmentPlan {
  const { keys } = caseLinks(reports);
  const rows = new Map(keys.map((k, i) => [k, openedRow(reports, k, i)]));
  const c = config.cases;
  const evaluated = evaluateCases(reports, keys, rows, new Set(keys), tallyOf(reports, rows), { raise: c.raise, noticeUpdateIntervalSec: c.noticeUpdateIntervalSec, realertIntervalSec: c.realertIntervalSec }, now);
  return finishPlan(reports, evaluated, { campaignOf: new Map(), prior: new Map() }, config.ladder, now);
}

/** The mails of one report that opens new cases, as the notify step would plan them. */
export function planAlone(m: ParsedMessage, d: Verdict, directory: CustomerDirectory, config: Readonly<Config>, escalateTo = ''): MailIntent[] {
  const input = planReport(m, d, 'msg-00000000000000000000000000000000', '2026-11-20T09:00:00.000Z', { trustedReporters: config.cases.trustedReporters, noticePolicy: config.cases.noticePolicy });
  const [outcome] = planFresh([input], config, new Date('2026-11-20T09:00:00.000Z')).outcomes;
  return planMails(m, d, outcome!, directory, { reportRef: 'AD-0000000000', receivedAt: 'x', escalateTo, noticeExcerptChars: config.limits.noticeExcerptChars });
}
