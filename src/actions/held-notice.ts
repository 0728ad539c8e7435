import type pg from 'pg';
import type { Category, Priority } from '../config/category-names.ts';
import { unpackView } from '../cases/evidence-pack.ts';
import type { ReportView } from '../cases/report-view.ts';
import type { DirectoryCustomer as Customer } from '../directory/customer-directory.ts';
import type { MailIntent } from '../notify/mail-intent.ts';
import { mailId } from '../notify/plan-mails.ts';
import { redactExcerpt } from '../notify/redact.ts';
import { ActionError } from './case-status.ts';

/** What a person may change in a held notice before releasing it. */
export interface NoticeEdits {
  /** Their own words to the customer, above the complaint's extract. */
  message?: string;
  /** The extract, trimmed: only lines (or parts of lines) of the desk's own extract. */
  excerpt?: string;
}

/** The case as a held notice needs it. */
export interface HeldCase {
  id: string;
  ref: string;
  category: Category;
  priority: Priority;
  target_type: string;
  target_value: string;
  report_count: number;
  first_seen: Date;
}

export const MESSAGE_CHARS = 4000;

/** The report that opened the case, as kept (the first with its evidence): what its notice quotes. */
export async function openingReport(db: pg.PoolClient | pg.Pool, caseId: string): Promise<ReportView | null> {
  const res = await db.query<{ view_gz: Buffer }>(
    `SELECT e.view_gz FROM reports r JOIN report_evidence e ON e.message_key = r.message_key
      WHERE (r.case_id = $1 OR (r.more_case_ids IS NOT NULL AND r.more_case_ids @> ARRAY[$1::bigint])) AND e.view_gz IS NOT NULL
      ORDER BY r.received_at, r.message_key LIMIT 1`,
    [caseId],
  );
  return res.rows[0] ? unpackView(res.rows[0].view_gz) : null;
}

/**
 * The extract a notice about this case quotes, with the reporter's details
 * removed as in a first notice; none for an account (the account holder is
 * the accused person) or when the report was not kept.
 */
export function noticeExcerpt(c: Pick<HeldCase, 'target_type'>, view: ReportView | null, maxChars: number): string | undefined {
  if (!view || c.target_type === 'account') return undefined;
  const parties = [view.from, view.replyTo].filter((a) => a !== null);
  return redactExcerpt(view.text, { names: parties.map((a) => a.name).filter(Boolean), addresses: parties.map((a) => a.address) }, maxChars) || undefined;
}

/**
 * An edited extract, checked: a person may cut it (drop lines, shorten
 * them), never add to it, since what it quotes must be the complaint's
 * words with the reporter's details removed. Their own words go in the message.
 */
export function trimmedExcerpt(original: string | undefined, edited: string): string | undefined {
  const kept = edited.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd());
  const source = original ?? '';
  for (const line of kept) {
    if (line.trim() && !source.includes(line.trim())) {
      throw new ActionError(`the extract can only be trimmed, and "${line.trim().slice(0, 60)}" is not in it: put your own words in the message`, 400);
    }
  }
  const out = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return out || undefined;
}

/** The case's target as its opening report gave it (type and value), if kept. */
const foundTarget = (view: ReportView | null, c: Pick<HeldCase, 'target_type' | 'target_value'>) =>
  view?.targets.find((t) => t.type === c.target_type && t.value.toLowerCase() === c.target_value.toLowerCase());

/** The URLs and addresses the opening report gave for the case's target. */
export const seenOf = (view: ReportView | null, c: Pick<HeldCase, 'target_type' | 'target_value'>): string[] => foundTarget(view, c)?.seen ?? [];

/**
 * The notice a release sends: the case's target with the URLs the opening
 * report gave and why the customer is tied to it, the category, the extract
 * (as edited) and the person's message. The same case and edits always give
 * the same mail.
 */
export function releaseNotice(c: HeldCase, customer: Customer, seq: number, view: ReportView | null, excerptChars: number, edits: NoticeEdits, rung?: { template: string; name: string; deadlineDays: number }): MailIntent {
  const found = foundTarget(view, c);
  const excerpt = edits.excerpt !== undefined ? trimmedExcerpt(noticeExcerpt(c, view, excerptChars), edits.excerpt) : noticeExcerpt(c, view, excerptChars);
  const message = edits.message?.trim().slice(0, MESSAGE_CHARS) || undefined;
  return {
    id: mailId(`${c.ref}#${seq}`, 'notice', customer.contact.email),
    kind: 'notice',
    to: customer.contact.email,
    language: customer.contact.language,
    caseRef: c.ref,
    category: c.category,
    priority: c.priority,
    receivedAt: c.first_seen.toISOString(),
    automated: false,
    targets: [{ value: c.target_value, ...(found?.reason ? { reason: found.reason as 'hosted' | 'registered' | 'account' } : {}), seen: found?.seen ?? [], caseRef: c.ref }],
    customerId: customer.id,
    customerName: customer.name,
    ...(excerpt ? { excerpt } : {}),
    ...(message ? { message } : {}),
    noticeSeq: 1,
    caseReports: c.report_count,
    newReports: c.report_count,
    ...(rung ? { template: rung.template, rung: rung.name, deadlineDays: rung.deadlineDays } : {}),
  };
}
