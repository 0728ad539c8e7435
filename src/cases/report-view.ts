import type { Address, ParsedMessage } from '../parse/parsed-message.ts';
import type { Verdict } from '../triage/verdict.ts';

/** One target triage found in a report: what the case view lists, with its role and why. */
export interface FoundTarget {
  type: 'domain' | 'server' | 'account';
  value: string;
  role: 'reported' | 'context';
  why: string;
  /** The customer it was matched to (the notice's recipient), if any, and how. */
  customerId: string | null;
  reason: string | null;
  /** The URLs and addresses as the report gave them (at most 20). */
  seen: string[];
  /** Reported ones: how sure (stated, accused, named) and why; where it came from (what a correction is recorded against). */
  basis?: 'stated' | 'accused' | 'named';
  basisWhy?: string;
  shape?: string;
  /** Only named, and a customer's: its case waited for a person. */
  toConfirm?: boolean;
}

/**
 * A report as a person reads it on the case: kept with the report, apart
 * from the case rows. `from` and `replyTo` identify the reporter: shown to
 * agents, never to a viewer (src/http/report-presenter.ts).
 */
export interface ReportView {
  subject: string;
  date: string | null;
  messageId: string | null;
  from: Address | null;
  replyTo: Address | null;
  /** The text as received; an HTML-only mail's text as mailparser derived it (never the HTML itself). */
  text: string;
  /** The message had an HTML body (shown as its text, never rendered). */
  html: boolean;
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
  /** Text or headers were cut at limits.maxTextChars when the message was read. */
  truncated: boolean;
  category: string;
  targets: FoundTarget[];
  /** Triage's reasons, as the case history keeps them. */
  why: string[];
}

/** The words the full-text search reads: subject and text, bounded (a tsvector holds at most 1 MB). */
export const SEARCH_CHARS = 200_000;

/** What the case view keeps of a complaint. Pure. */
export function reportView(m: ParsedMessage, d: Verdict): ReportView {
  return {
    subject: m.subject,
    date: m.date,
    messageId: m.messageId,
    from: m.from,
    replyTo: m.replyTo,
    text: m.text,
    html: m.links.length > 0 || /^text\/html\b/i.test(m.contentType),
    attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
    truncated: m.truncated,
    category: d.category,
    targets: d.targets.map((t) => ({
      type: t.type,
      value: t.value,
      role: t.role,
      why: t.why,
      customerId: t.customerId,
      reason: t.matches.find((x) => x.customerId === t.customerId)?.reason ?? null,
      seen: t.seen.slice(0, 20),
      ...(t.basis ? { basis: t.basis, basisWhy: t.basisWhy ?? t.basis } : {}),
      ...(t.shape ? { shape: t.shape } : {}),
      ...(t.toConfirm ? { toConfirm: true } : {}),
    })),
    why: d.why.slice(0, 40),
  };
}

/** The searchable words of a report: its subject and text. */
export function searchText(v: ReportView): string {
  return `${v.subject}\n${v.text}`.slice(0, SEARCH_CHARS);
}
