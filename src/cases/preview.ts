import { evaluateCase, type CaseRuleSettings } from './case-rules.ts';
import type { ReportOutcome } from './case-store.ts';
import type { ReportInput } from './plan-report.ts';

/**
 * What a report would do to a store holding no open case: each of its cases
 * opened by it. For `abuse-desk triage` (which shows a decision without a
 * store) and for tests of mail planning. Pure.
 */
export function previewOutcome(r: ReportInput, cfg: CaseRuleSettings, refOf: (i: number) => string, now = new Date()): ReportOutcome {
  const notices: ReportOutcome['notices'] = [];
  const escalation = { seq: 0, caseIds: [] as string[], reasons: [] as string[] };
  const cases = r.links.map((l, i) => {
    const id = String(i + 1);
    const change = evaluateCase(
      {
        id, ref: refOf(i), created: true, customerId: l.customerId, targetType: l.targetType, targetValue: l.targetValue, category: l.category,
        policy: l.policy, status: 'open', priority: 'low', trusted: false, reportCount: 1, reporterCount: r.reporter ? 1 : 0, maxFromOne: 1,
        noticesSent: 0, notifiedAt: null, notifiedReports: 0, escalations: 0, escalatedAt: null,
      },
      { priority: r.priority, trusted: r.trusted, escalate: r.escalate },
      cfg,
      now,
    );
    if (change.notice) notices.push({ caseId: id, seq: change.notice.seq, newReports: change.notice.newReports });
    if (change.escalation) {
      escalation.seq = 1;
      escalation.caseIds.push(id);
      if (!escalation.reasons.includes(change.escalation.reason)) escalation.reasons.push(change.escalation.reason);
    }
    return {
      id, ref: refOf(i), created: true, customerId: l.customerId, targetType: l.targetType, targetValue: l.targetValue, category: l.category,
      policy: l.policy, status: change.status, priority: change.priority, reportCount: 1, reporterCount: r.reporter ? 1 : 0, campaignId: null,
    };
  });
  return { messageKey: r.messageKey, replay: false, cases, notices, escalation: escalation.seq ? escalation : null };
}
