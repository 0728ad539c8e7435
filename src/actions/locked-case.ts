import type { Category, Priority } from '../config/category-names.ts';

/** A case as an action reads it, under its row lock (LOCK_COLUMNS in case-actions.ts). */
export interface LockedCase {
  id: string;
  ref: string;
  status: string;
  policy: string;
  priority: Priority;
  category: Category;
  customer_id: string | null;
  target_type: string;
  target_value: string;
  report_count: number;
  reporter_count: number;
  notices_sent: number;
  escalations: number;
  flags: string[] | null;
  campaign_id: string | null;
  first_seen: Date;
  opened_at: Date;
  closed_at: Date | null;
}
