import type { TargetBasis, TargetRole } from '../classify/indicator.ts';
import type { Category, Priority } from '../classify/category.ts';
import type { MailKind } from '../classify/mail-kind.ts';
import type { Language } from '../config/schema.ts';
import type { NoticeCheck } from '../classify/notice-completeness.ts';
import type { CustomerMatch } from '../directory/customer.ts';

/** What a complaint is about, once matched against the directory. */
export interface Target {
  type: 'domain' | 'server' | 'account';
  /** Registrable domain (domain), host name or IP (server), handle (account). */
  value: string;
  /** The customer who gets the notice: the host for server targets, the registrant for domains. */
  customerId: string | null;
  /** Every customer tied to the target, with the reason. */
  matches: CustomerMatch[];
  /** The indicators as the complaint gave them (URLs, addresses), at most 20. */
  seen: string[];
  /** When the owner was found through DNS: the addresses and when they were resolved. */
  resolved?: { addresses: string[]; at: string; error?: string };
  /** reported: what the complaint accuses (matched for notices); context: named, not accused (kept for a person to see). */
  role: TargetRole;
  /** The evidence for the role. */
  why: string;
  /** Reported targets: how sure (stated, accused, named: target-basis.ts); a named one matching a customer waits for a person. */
  basis?: TargetBasis;
  /** The evidence for the basis. */
  basisWhy?: string;
  /** Only named, and a customer's: its case waits for a person to confirm it (cases.namedTargets loosens this). */
  toConfirm?: boolean;
  /** Where it came from in the report (target-shape.ts): what a person's correction is recorded against. */
  shape?: string;
}

export type Action =
  | { kind: 'acknowledge'; to: string; language: Language }
  | { kind: 'notify'; customerId: string; to: string; language: Language; targets: string[] }
  | { kind: 'confirm'; targets: string[] }
  | { kind: 'escalate'; reason: string };

/** The verdict of triage on one message (automatic, before any person looks): everything downstream follows from it. */
export interface Verdict {
  isComplaint: boolean;
  automated: boolean;
  mailKind: MailKind;
  language: Language;
  category: Category;
  priority: Priority;
  targets: Target[];
  actions: Action[];
  /** Whether a person's notice gives what the DSA (art. 16(2)) asks; the acknowledgement asks for what is missing. */
  notice: NoticeCheck;
  /** Why each part of the decision was taken (rule or evidence), for ops to audit and tune. */
  why: string[];
}
