import type { Category, Priority } from '../config/category-names.ts';
import type { CaseHead } from './case-rules.ts';
import type { CaseStatus } from './case-vocabulary.ts';
import type { CaseTargetType, NoticePolicy } from './notice-policy.ts';

/** A case as a report's outcome shows it (no personal data); `created` is false on a replay. */
export interface CaseSummary extends CaseHead {
  reportCount: number;
  reporterCount: number;
  campaignId: string | null;
}

/** The columns of a case the assigning transaction reads (CaseRow). */
export const CASE_COLUMNS = `id, ref, customer_id, target_type, target_value, category, policy, status, priority, trusted, report_count, reporter_count,
  max_from_one, notices_sent, notified_at, notified_reports, escalations, escalated_at, campaign_id, last_seen, first_seen, flags, reviewed_at`;

/** A row of `cases` as read under its lock (CASE_COLUMNS). */
export interface CaseRow {
  id: string;
  ref: string;
  customer_id: string | null;
  target_type: CaseTargetType;
  target_value: string;
  category: Category;
  policy: NoticePolicy;
  status: CaseStatus;
  priority: Priority;
  trusted: boolean;
  report_count: number;
  reporter_count: number;
  max_from_one: number;
  notices_sent: number;
  notified_at: Date | null;
  notified_reports: number;
  escalations: number;
  escalated_at: Date | null;
  campaign_id: string | null;
  last_seen: Date;
  first_seen: Date;
  flags: string[] | null;
  /** When a person last decided on it (released, withheld, resolved); absent on a row the planner made. */
  reviewed_at?: Date | null;
}

export const headOf = (r: CaseRow, created: boolean): CaseHead => ({
  id: r.id,
  ref: r.ref,
  created,
  customerId: r.customer_id,
  targetType: r.target_type,
  targetValue: r.target_value,
  category: r.category,
  policy: r.policy,
  status: r.status,
  priority: r.priority,
});

export const summaryOf = (r: CaseRow, created: boolean): CaseSummary => ({
  ...headOf(r, created),
  reportCount: r.report_count,
  reporterCount: r.reporter_count,
  campaignId: r.campaign_id,
});
