import { planReport, type ReportInput } from '../../src/cases/plan-report.ts';
import { evaluateCase, type CaseHead, type CaseRuleSettings } from '../../src/cases/case-rules.ts';
import type { ReportOutcome } from '../../src/cases/case-store.ts';
import type { Config } from '../../src/config/schema.ts';
import type { CustomerDirectory } from '../../src/directory/customer-directory.ts';
import type { MailIntent } from '../../src/notify/mail-intent.ts';
import { planMails } from '../../src/notify/plan-mails.ts';
import type { ParsedMessage } from '../../src/parse/parsed-message.ts';
import type { Decision } from '../../src/triage/decision.ts';

/** The mails of a report that opens new cases, without a store. */
export function planAlone(m: ParsedMessage, d: Decision, directory: CustomerDirectory, config: Readonly<Config>, escalateTo = ''): MailIntent[] {
  const input = planReport(m, d, 'msg-00000000000000000000000000000000', '2026-11-20T09:00:00.000Z', { trustedReporters: config.cases.trustedReporters, noticePolicy: config.cases.noticePolicy });
  const outcome = previewOutcome(input, config.cases, (i) => `AD-2026-00000${i + 1}`);
  return planMails(m, d, outcome, directory, { reportRef: 'AD-0000000000', receivedAt: 'x', escalateTo, noticeExcerptChars: config.limits.noticeExcerptChars });
}

/**
 * What a report would do to a store holding no open case: each of its cases
 * opened by it, decided by the same rules the store applies. Pure.
 */
export function previewOutcome(r: ReportInput, cfg: CaseRuleSettings, refOf: (i: number) => string, now = new Date()): ReportOutcome {
  const notices: ReportOutcome['notices'] = [];
  const escalation = { seq: 0, caseIds: [] as string[], reasons: [] as string[] };
  const cases = r.links.map((l, i) => {
    const head: CaseHead = {
      id: String(i + 1), ref: refOf(i), created: true, customerId: l.customerId, targetType: l.targetType, targetValue: l.targetValue,
      category: l.category, policy: l.policy, status: 'open', priority: 'low',
    };
    const reporterCount = r.reporter ? 1 : 0;
    const change = evaluateCase(
      { ...head, trusted: false, reportCount: 1, reporterCount, maxFromOne: 1, noticesSent: 0, notifiedAt: null, notifiedReports: 0, escalations: 0, escalatedAt: null },
      { priority: r.priority, trusted: r.trusted, escalate: r.escalate },
      cfg,
      now,
    );
    if (change.notice) notices.push({ caseId: head.id, seq: change.notice.seq, newReports: change.notice.newReports });
    if (change.escalation) {
      escalation.seq = 1;
      escalation.caseIds.push(head.id);
      if (!escalation.reasons.includes(change.escalation.reason)) escalation.reasons.push(change.escalation.reason);
    }
    return { ...head, status: change.status, priority: change.priority, reportCount: 1, reporterCount, campaignId: null };
  });
  return { messageKey: r.messageKey, replay: false, cases, notices, escalation: escalation.seq ? escalation : null };
}
