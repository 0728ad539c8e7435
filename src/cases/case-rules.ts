import { PRIORITIES, type Category, type Priority } from '../config/category-names.ts';
import type { CaseStatus } from './case-vocabulary.ts';
import { caseFamily } from './case-family.ts';
import type { CaseTargetType, NoticePolicy } from './notice-policy.ts';


/** What identifies a case and where it stands: shared by the rules' view and a report's outcome. */
export interface CaseHead {
  id: string;
  ref: string;
  /** Opened by the report(s) at hand. */
  created: boolean;
  customerId: string | null;
  targetType: CaseTargetType;
  targetValue: string;
  category: Category;
  policy: NoticePolicy;
  status: CaseStatus;
  priority: Priority;
}

/** A case as it stands inside the assigning transaction, counts already updated. */
export interface CaseState extends CaseHead {
  trusted: boolean;
  reportCount: number;
  reporterCount: number;
  maxFromOne: number;
  noticesSent: number;
  notifiedAt: Date | null;
  notifiedReports: number;
  escalations: number;
  escalatedAt: Date | null;
  /** A reporter of the new reports had written to this case before. */
  repeated?: boolean;
}

/** What the new reports bring to the case. */
export interface Incoming {
  priority: Priority;
  trusted: boolean;
  /** A person must look (csam, an urgent report, a report that could not be analysed): why. */
  escalate: string | null;
}

export interface Volume {
  reporters: number;
  reports: number;
  fromOneReporter: number;
}

export interface CaseRuleSettings {
  raise: { high: Volume; urgent: Volume };
  noticeUpdateIntervalSec: number;
  realertIntervalSec: number;
}

export interface NoticeDue {
  /** 1 for the notice that opens the case to the customer, then 2, 3… for updates. */
  seq: number;
  /** New reports since the previous notice (updates). */
  newReports: number;
}

export interface CaseChange {
  priority: Priority;
  status: CaseStatus;
  trusted: boolean;
  notice: NoticeDue | null;
  escalation: { seq: number; reason: string } | null;
  /** History lines for the case (no personal data). */
  events: Array<{ kind: string; detail: Record<string, unknown> }>;
}

const rank = (p: Priority): number => PRIORITIES.length - PRIORITIES.indexOf(p);
export const higher = (a: Priority, b: Priority): Priority => (rank(a) >= rank(b) ? a : b);

const reached = (s: CaseState, v: Volume): string | null =>
  s.reporterCount >= v.reporters ? `${s.reporterCount} distinct reporters` : s.reportCount >= v.reports ? `${s.reportCount} reports` : s.maxFromOne >= v.fromOneReporter ? `${s.maxFromOne} reports from one reporter` : null;

/**
 * What a case does once new reports joined it, decided under its row lock so
 * concurrent workers agree: its priority (from the reports, volume and
 * trusted reporters), its status (review policy, a person needed), whether
 * the customer gets a notice now (the first, or an update at most once per
 * interval) and whether a person is alerted (once, then at most once per
 * interval while reports keep coming). Pure.
 */
export function evaluateCase(s: CaseState, inc: Incoming, cfg: CaseRuleSettings, now: Date): CaseChange {
  const events: CaseChange['events'] = [];
  if (s.created) events.push({ kind: 'opened', detail: { policy: s.policy } });

  let priority = higher(s.priority, inc.priority);
  const why: string[] = [];
  const trusted = s.trusted || inc.trusted;
  if (trusted && rank(priority) < rank('high')) (priority = 'high'), why.push('a trusted reporter');
  const toUrgent = reached(s, cfg.raise.urgent);
  const toHigh = reached(s, cfg.raise.high);
  if (toUrgent && priority !== 'urgent') (priority = 'urgent'), why.push(toUrgent);
  else if (toHigh && rank(priority) < rank('high')) (priority = 'high'), why.push(toHigh);
  // A victim writing again about conduct against them: each repeat is a step up (harassment that goes on is worse, and they were not heard).
  if (s.repeated && !s.created && caseFamily(s.category, s.targetType) === 'conduct' && priority !== 'urgent') {
    priority = PRIORITIES[PRIORITIES.indexOf(priority) - 1]!;
    why.push(`a reporter wrote again about conduct against a person (${s.maxFromOne} reports from one reporter)`);
  }
  if (priority !== s.priority && !s.created) events.push({ kind: 'priority', detail: { from: s.priority, to: priority, why: why.join(', ') || 'a report of higher priority' } });

  let status = s.status;
  const escalateWhy = inc.escalate ?? (priority === 'urgent' ? `urgent${why.length ? `: ${why.join(', ')}` : ''}` : s.policy === 'never' ? `${s.category}: customers are never notified automatically` : null);
  if (status === 'open' && (s.policy !== 'notify' || inc.escalate) && s.noticesSent === 0) {
    status = 'awaiting_review';
    events.push({ kind: 'status', detail: { to: status, why: inc.escalate ?? (s.policy === 'confirm' ? 'a target to confirm: the report only names it' : `notice policy: ${s.policy}`) } });
  }

  let notice: NoticeDue | null = null;
  // A case notifies under the notify policy, or once a person released its
  // first notice; while it is open or in conversation with the customer.
  const notifying = s.policy === 'notify' || s.noticesSent > 0;
  if (s.customerId && notifying && (status === 'open' || status === 'waiting_customer' || status === 'customer_answered')) {
    if (s.noticesSent === 0) notice = { seq: 1, newReports: s.reportCount };
    else if (s.reportCount > s.notifiedReports && (cfg.noticeUpdateIntervalSec === 0 || !s.notifiedAt || now.getTime() - s.notifiedAt.getTime() >= cfg.noticeUpdateIntervalSec * 1000)) {
      notice = { seq: s.noticesSent + 1, newReports: s.reportCount - s.notifiedReports };
    }
    if (notice) events.push({ kind: 'notice', detail: { seq: notice.seq, newReports: notice.newReports } });
  }

  let escalation: CaseChange['escalation'] = null;
  if (escalateWhy) {
    if (s.escalations === 0) escalation = { seq: 1, reason: escalateWhy };
    else if (cfg.realertIntervalSec > 0 && s.escalatedAt && now.getTime() - s.escalatedAt.getTime() >= cfg.realertIntervalSec * 1000) {
      escalation = { seq: s.escalations + 1, reason: `${escalateWhy} (${s.reportCount} reports now)` };
    }
    if (escalation) events.push({ kind: 'escalated', detail: { seq: escalation.seq, reason: escalation.reason } });
  }
  return { priority, status, trusted, notice, escalation, events };
}
