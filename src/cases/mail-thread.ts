import { gunzipSync, gzipSync } from 'node:zlib';
import type pg from 'pg';
import { unpackView } from './evidence-pack.ts';
import { reporterHash } from './plan-report.ts';
import { messageKeyOf, reporterLabels } from './report-queries.ts';

/** Who a mail of a case is to or from. */
export type Party = 'reporter' | 'customer' | 'desk' | 'authority';
/** What became of a mail: the relay took it, the recipient's server refused it, it was held back, or given up on. */
export type MailState = 'sent' | 'refused' | 'capped' | 'suppressed' | 'dead-lettered';

/** One outgoing mail as the thread keeps it: as composed, whatever became of it. */
export interface ThreadMail {
  id: string;
  caseRef: string;
  /** Other cases the mail covers (a notice or acknowledgement naming several). */
  alsoCases: readonly string[];
  kind: string;
  party: Party;
  to: string;
  subject: string;
  text: string;
  state: MailState;
  reason?: string;
}

/**
 * Records a mail in its case's thread, once per mail id: a retry writes
 * nothing new, and a mail the relay took is never marked otherwise later.
 * The recipient is kept only as the reporter's row (numbered on the case);
 * the address itself is in the mail's body and the sent ledger, not here.
 */
export async function recordMail(pool: pg.Pool, m: ThreadMail): Promise<void> {
  await pool.query(
    `INSERT INTO case_mails (mail_id, case_id, more_case_ids, kind, party, reporter_id, subject, body_gz, state, reason)
     SELECT $1, c.id, (SELECT array_agg(o.id) FROM cases o WHERE o.ref = ANY($3::text[]) AND o.id <> c.id), $4, $5,
            CASE WHEN $5 = 'reporter' THEN (SELECT r.id FROM reporters r WHERE r.address_hash = $6) END, $7, $8, $9, $10
       FROM cases c WHERE c.ref = $2
     ON CONFLICT (mail_id) DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason, at = now() WHERE case_mails.state <> 'sent'`,
    [m.id, m.caseRef, m.alsoCases, m.kind, m.party, Buffer.from(reporterHash(m.to), 'hex'), m.subject.slice(0, 998), gzipSync(m.text), m.state, m.reason ?? null],
  );
}

/** One entry of a case's thread: a mail out, or a message in (a report, the customer's reply). */
export interface ThreadEntry {
  at: string;
  direction: 'in' | 'out';
  /** reporter (numbered R1…), customer, desk, authority. */
  party: Party;
  reporter: string | null;
  kind: string;
  subject: string;
  /** The body as sent or received; null when it was erased with the reporter's data. */
  text: string | null;
  /** Outgoing: sent, refused, capped, suppressed, dead-lettered; incoming: received, or the reply's trust. */
  state: string;
  reason: string | null;
  /** The mail id (outgoing) or message key (incoming). */
  id: string;
}

/** Every mail the desk sent or received for a case, oldest first (at most `limit` of each direction). */
export async function caseThread(pool: pg.Pool, ref: string, limit = 500): Promise<ThreadEntry[] | null> {
  const c = (await pool.query<{ id: string }>(`SELECT id FROM cases WHERE ref = $1`, [ref])).rows[0];
  if (!c) return null;
  const labels = await reporterLabels(pool, c.id);
  const out = await pool.query<{ mail_id: string; at: Date; kind: string; party: Party; reporter_id: string | null; subject: string; body_gz: Buffer | null; state: string; reason: string | null }>(
    `SELECT mail_id, at, kind, party, reporter_id, subject, body_gz, state, reason FROM case_mails
      WHERE case_id = $1 OR (more_case_ids IS NOT NULL AND more_case_ids @> ARRAY[$1::bigint]) ORDER BY at LIMIT $2`,
    [c.id, limit],
  );
  const reports = await pool.query<{ message_key: string; received_at: Date; reporter_id: string | null; automated: boolean; view_gz: Buffer | null }>(
    `SELECT r.message_key, r.received_at, r.reporter_id, r.automated, e.view_gz FROM reports r LEFT JOIN report_evidence e ON e.message_key = r.message_key
      WHERE r.case_id = $1 OR (r.more_case_ids IS NOT NULL AND r.more_case_ids @> ARRAY[$1::bigint]) ORDER BY r.received_at LIMIT $2`,
    [c.id, limit],
  );
  const replies = await pool.query<{ at: Date; kind: string; detail: { message?: string; text?: string; verified?: string; why?: string } }>(
    `SELECT at, kind, detail FROM case_events WHERE case_id = $1 AND kind IN ('customer-reply', 'unverified-reply') ORDER BY id LIMIT $2`,
    [c.id, limit],
  );
  const entries: ThreadEntry[] = [
    ...out.rows.map((m) => ({
      at: m.at.toISOString(),
      direction: 'out' as const,
      party: m.party,
      reporter: m.reporter_id ? labels.get(m.reporter_id)?.label ?? null : null,
      kind: m.kind,
      subject: m.subject,
      text: m.body_gz ? gunzipSync(m.body_gz).toString('utf8') : null,
      state: m.state,
      reason: m.reason,
      id: m.mail_id,
    })),
    ...reports.rows.map((r) => {
      const view = r.view_gz ? unpackView(r.view_gz) : null;
      return {
        at: r.received_at.toISOString(),
        direction: 'in' as const,
        party: 'reporter' as const,
        reporter: r.reporter_id ? labels.get(r.reporter_id)?.label ?? null : null,
        kind: r.automated ? 'report (automated)' : 'report',
        subject: view?.subject ?? '',
        text: view?.text ?? null,
        state: 'received',
        reason: null,
        id: messageKeyOf(r.message_key),
      };
    }),
    ...replies.rows.map((e) => ({
      at: e.at.toISOString(),
      direction: 'in' as const,
      party: 'customer' as const,
      reporter: null,
      kind: e.kind,
      subject: '',
      text: e.detail.text ?? null,
      state: e.kind === 'customer-reply' ? `verified (${e.detail.verified ?? '?'})` : 'not verified: the case was not changed',
      reason: e.detail.why ?? null,
      id: e.detail.message ?? '',
    })),
  ];
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
