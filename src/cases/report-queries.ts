import type pg from 'pg';
import { unpackRaw, unpackView } from './evidence-pack.ts';
import { keyUuid } from './report-key.ts';
import type { ReportView } from './report-view.ts';

/** The reports of case $1 (alias r): those it holds, and those it shares with other cases (more_case_ids). */
export const REPORTS_OF_CASE = '(r.case_id = $1 OR (r.more_case_ids IS NOT NULL AND r.more_case_ids @> ARRAY[$1::bigint]))';

/** A case's reporters as the case view numbers them: R1, R2… in the order they first wrote. */
export async function reporterLabels(pool: pg.Pool | pg.PoolClient, caseId: string): Promise<Map<string, { label: string; address: string | null; name: string | null }>> {
  const res = await pool.query<{ id: string; address: string | null; name: string | null }>(
    `SELECT r.id, r.address, r.name FROM case_reporters cr JOIN reporters r ON r.id = cr.reporter_id WHERE cr.case_id = $1 ORDER BY r.id`,
    [caseId],
  );
  return new Map(res.rows.map((r, i) => [r.id, { label: `R${i + 1}`, address: r.address, name: r.name }]));
}

/** One report of a case as stored: its view, or why there is none. */
export interface StoredReport {
  messageKey: string;
  receivedAt: string;
  automated: boolean;
  /** R1, R2… or "-" for a report with no sender. */
  reporter: string;
  /** The reporter's address and name as the store keeps them (null once erased). */
  identity: { address: string | null; name: string | null } | null;
  /** Size of the raw message, and whether it can be downloaded. */
  rawBytes: number | null;
  hasRaw: boolean;
  view: ReportView | null;
  /** Set when retention erased the evidence; absent evidence without it predates the evidence store. */
  erasedAt: string | null;
}

/** The reports of a case, oldest first, a page at a time, with their total. */
export async function caseReports(pool: pg.Pool, ref: string, page: { offset: number; limit: number }): Promise<{ total: number; reports: StoredReport[] } | null> {
  const c = (await pool.query<{ id: string }>(`SELECT id FROM cases WHERE ref = $1`, [ref])).rows[0];
  if (!c) return null;
  const labels = await reporterLabels(pool, c.id);
  const total = Number((await pool.query(`SELECT count(*) AS n FROM reports r WHERE ${REPORTS_OF_CASE}`, [c.id])).rows[0].n);
  const res = await pool.query<{ message_key: string; received_at: Date; automated: boolean; reporter_id: string | null; raw_bytes: number | null; has_raw: boolean; view_gz: Buffer | null; erased_at: Date | null }>(
    `SELECT r.message_key, r.received_at, r.automated, r.reporter_id, e.raw_bytes, e.raw_gz IS NOT NULL AS has_raw, e.view_gz, e.erased_at
       FROM reports r LEFT JOIN report_evidence e ON e.message_key = r.message_key
      WHERE ${REPORTS_OF_CASE} ORDER BY r.received_at, r.message_key OFFSET $2 LIMIT $3`,
    [c.id, page.offset, page.limit],
  );
  return {
    total,
    reports: res.rows.map((r) => {
      const who = r.reporter_id ? labels.get(r.reporter_id) : undefined;
      return {
        messageKey: messageKeyOf(r.message_key),
        receivedAt: r.received_at.toISOString(),
        automated: r.automated,
        reporter: who?.label ?? '-',
        identity: who ? { address: who.address, name: who.name } : null,
        rawBytes: r.raw_bytes,
        hasRaw: r.has_raw,
        view: r.view_gz ? unpackView(r.view_gz) : null,
        erasedAt: r.erased_at?.toISOString() ?? null,
      };
    }),
  };
}

/** The raw message of one report of a case (the .eml), or why there is none. */
export async function reportMessage(pool: pg.Pool, ref: string, messageKey: string): Promise<{ raw: Buffer } | { none: 'no-report' | 'erased' | 'not-kept' }> {
  const res = await pool.query<{ raw_gz: Buffer | null; erased_at: Date | null; kept: boolean }>(
    `SELECT e.raw_gz, e.erased_at, e.message_key IS NOT NULL AS kept FROM cases c
       JOIN reports r ON r.case_id = c.id OR (r.more_case_ids IS NOT NULL AND r.more_case_ids @> ARRAY[c.id])
       LEFT JOIN report_evidence e ON e.message_key = r.message_key
      WHERE c.ref = $1 AND r.message_key = $2`,
    [ref, keyUuid(messageKey)],
  );
  const row = res.rows[0];
  if (!row) return { none: 'no-report' };
  if (row.raw_gz) return { raw: unpackRaw(row.raw_gz) };
  return { none: row.erased_at ? 'erased' : 'not-kept' };
}

/** The message key as jobs and logs name it (msg-<32 hex>), from its uuid column. */
export const messageKeyOf = (uuid: string): string => `msg-${uuid.replace(/-/g, '')}`;
