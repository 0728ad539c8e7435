import type { Category, Priority } from '../config/category-names.ts';

/** What a case's nearest SLA deadline depends on, as the store holds it. */
export interface DeadlineInput {
  ref: string;
  status: string;
  priority: Priority;
  category: Category;
  policy: string;
  customerId: string | null;
  noticesSent: number;
  firstNoticeAt: Date | null;
  reviewedAt: Date | null;
  openedAt: Date;
  pausedSec: number;
}

/** The running clock that falls due first (sla_clock, sla_due_at, sla_warn_at); null when none runs. */
export interface StoredDeadline {
  clock: string;
  dueAt: Date;
  warnAt: Date;
}

/**
 * Derives the stored deadline from the SLA policy (src/ops/sla-deadlines.ts
 * makes it from config): the store writes it with a case it opens, so a
 * new case needs no second write to be listed in its place.
 */
export type DeadlineOf = (c: DeadlineInput) => StoredDeadline | null;
