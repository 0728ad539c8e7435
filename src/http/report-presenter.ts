import type { ThreadEntry } from '../cases/mail-thread.ts';
import type { StoredReport } from '../cases/report-queries.ts';
import type { FoundTarget } from '../cases/report-view.ts';
import { redactExcerpt } from '../notify/redact.ts';
import { allows, type Role } from '../operators/roles.ts';

/** One report as an operator reads it on the case. */
export interface ReportForReader {
  messageKey: string;
  receivedAt: string;
  reporter: string;
  automated: boolean;
  /** Agents and admins only: who wrote it (null once erased by retention). */
  reporterAddress?: string | null;
  reporterName?: string | null;
  subject: string | null;
  date: string | null;
  messageId: string | null;
  /** The text as received (a viewer's with the reporter's details removed). */
  text: string | null;
  /** True when the reporter's details were removed from `text` for this reader. */
  redacted: boolean;
  html: boolean;
  truncated: boolean;
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
  targets: FoundTarget[];
  why: string[];
  /** Agents: the .eml can be downloaded. */
  eml: boolean;
  rawBytes: number | null;
  /** Why there is no text: erased by retention, or stored before reports were kept. */
  missing: 'erased' | 'not-kept' | null;
}

// The text a viewer reads: as long as it is, the reporter's details out.
const VIEWER_CHARS = 1_000_000;

/**
 * What a reader of this role may see of a case's reports. A viewer reads
 * the text with the reporter's name, addresses, phone numbers, postal
 * addresses and signature removed (the same redaction as a customer's
 * notice), and never the sender's headers; an agent or admin reads it as
 * received, with who sent it, and may download the .eml.
 */
export function reportsFor(role: Role, reports: readonly StoredReport[]): ReportForReader[] {
  const identified = allows(role, 'agent');
  return reports.map((r) => {
    const v = r.view;
    const parties = v ? [v.from, v.replyTo].filter((a) => a !== null) : [];
    const reporter = {
      names: [...parties.map((a) => a.name), r.identity?.name ?? ''].filter(Boolean),
      addresses: [...parties.map((a) => a.address), r.identity?.address ?? ''].filter(Boolean),
    };
    const text = v ? (identified ? v.text : redactExcerpt(v.text, reporter, VIEWER_CHARS)) : null;
    return {
      messageKey: r.messageKey,
      receivedAt: r.receivedAt,
      reporter: r.reporter,
      automated: r.automated,
      ...(identified ? { reporterAddress: r.identity?.address ?? v?.replyTo?.address ?? v?.from?.address ?? null, reporterName: r.identity?.name ?? v?.from?.name ?? null } : {}),
      // A subject may name the reporter too ("Complaint from Jane Doe").
      subject: v ? (identified ? v.subject : redactExcerpt(v.subject, reporter, 2000)) : null,
      date: v?.date ?? null,
      messageId: identified ? v?.messageId ?? null : null,
      text,
      redacted: !!v && !identified,
      html: v?.html ?? false,
      truncated: v?.truncated ?? false,
      attachments: v?.attachments ?? [],
      // Where a name came from is a line of the report (it may be the reporter's signature): agents only.
      targets: (v?.targets ?? []).map(({ shape, ...t }) => (identified && shape ? { ...t, shape } : t)),
      why: v?.why ?? [],
      eml: identified && r.hasRaw,
      rawBytes: r.rawBytes,
      missing: v ? null : r.erasedAt ? 'erased' : 'not-kept',
    };
  });
}

/**
 * A case's thread for this role. A viewer sees every entry, but not the
 * subject or words of a report or of a mail to a reporter (both may say who they are):
 * those are on the reports, redacted, or for agents.
 */
export function threadFor(role: Role, entries: readonly ThreadEntry[]): Array<ThreadEntry & { hidden?: string }> {
  if (allows(role, 'agent')) return [...entries];
  return entries.map((e) =>
    e.party === 'reporter' ? { ...e, subject: '', text: null, hidden: e.direction === 'in' ? 'the report is under Reports, with the reporter’s details removed' : 'a mail to a reporter: agents read it' } : e,
  );
}
