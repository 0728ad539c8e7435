import type { Category, Priority } from '../classify/category.ts';
import type { Language } from '../config/schema.ts';
import type { NoticePart } from '../classify/notice-completeness.ts';
import type { MatchReason } from '../directory/customer.ts';
import type { MailKind } from './templates.ts';

/**
 * One mail to send, with only the data its recipient may see: an
 * acknowledgement carries nothing about the customer, a notice nothing about
 * the complainant. Travels in a notify job; rendering it is pure.
 */
export interface MailIntent {
  /** Deterministic per (case, kind, recipient): the ledger key and Message-ID. */
  id: string;
  kind: MailKind;
  to: string;
  language: Language;
  caseRef: string;
  category: Category;
  priority: Priority;
  receivedAt: string;
  automated: boolean;
  targets: Array<{ value: string; reason?: MatchReason; seen: string[]; caseRef?: string }>;
  /** Acknowledgement: the message key of the complaint it answers (its acknowledgement clock stops when it is sent). */
  reportKey?: string;
  /** Acknowledgement: thread to the complaint. */
  inReplyTo?: string;
  references?: string[];
  originalSubject?: string;
  /** Acknowledgement: what the notice lacks, to ask for politely. */
  missing?: NoticePart[];
  /** Notice: the customer, their own name and a redacted excerpt. */
  customerId?: string;
  customerName?: string;
  excerpt?: string;
  /** Notice released by a person: their own words to the customer. */
  message?: string;
  /** Escalation: why a human must decide. */
  reason?: string;
  /** Acknowledgement and escalation: the cases the report joined, with their size now. */
  cases?: Array<{ ref: string; reports: number; reporters: number; joined: boolean; target: string; priority: string; status: string }>;
  /** Notice: 1 opens the case to the customer, then 2, 3… are updates. */
  noticeSeq?: number;
  /** Notice: reports in the case, and new since the previous notice (updates). */
  caseReports?: number;
  newReports?: number;
  /** Notice: the ladder rung's template (notice-<name>), its name and the days the customer has to answer. */
  template?: string;
  rung?: string;
  deadlineDays?: number;
  /** Verdict and statement of reasons: what was decided, on what ground, and the facts' dates. */
  outcome?: string;
  ground?: string;
  firstSeen?: string;
  lastSeen?: string;
  automatedDetection?: boolean;
}
