import type pg from 'pg';
import { keyUuid } from './report-key.ts';

/** Filters of `abuse-desk cases list`. */
export interface CaseFilter {
  status?: string;
  priority?: string;
  customer?: string;
  category?: string;
  campaign?: string;
  /** Include closed cases (default: open ones only). */
  all?: boolean;
  limit?: number;
}

export interface CaseListRow {
  ref: string;
  status: string;
  priority: string;
  category: string;
  customer: string | null;
  target: string;
  targetType: string;
  policy: string;
  reports: number;
  reporters: number;
  campaign: string | null;
  campaignReports: number | null;
  firstSeen: string;
  lastSeen: string;
  openedAt: string;
  noticesSent: number;
  /** When the relay accepted its first notice, and when a person decided on its review (ISO), if so. */
  firstNoticeAt: string | null;
  reviewedAt: string | null;
  /** Seconds the case waited for the customer before now (its resolution clock stood still). */
  pausedSec: number;
  closedAt: string | null;
  outcome: string | null;
}

const LIST_SQL = `
  SELECT c.ref, c.status, c.priority, c.category, c.customer_id AS customer, c.target_value AS target, c.target_type AS "targetType",
         c.policy, c.report_count AS reports, c.reporter_count AS reporters, c.campaign_id AS campaign,
         c.first_seen AS "firstSeen", c.last_seen AS "lastSeen", c.opened_at AS "openedAt", c.notices_sent AS "noticesSent", COALESCE(c.paused_sec, 0) AS "pausedSec",
         c.first_notice_at AS "firstNoticeAt", c.reviewed_at AS "reviewedAt",
         c.closed_at AS "closedAt", c.outcome
  FROM cases c`;

/**
 * Fills in each row's campaignReports (distinct reports over all cases of
 * its campaign) with one query for all the rows' campaigns: a count per row
 * made a page of 5,000 cases take seconds.
 */
async function withCampaignReports<T extends { campaign: string | null; campaignReports?: number | null }>(pool: pg.Pool, rows: T[]): Promise<T[]> {
  const ids = [...new Set(rows.map((r) => r.campaign).filter((c): c is string => c !== null))];
  const counts = new Map<string, number>();
  if (ids.length) {
    const res = await pool.query<{ id: string; n: number }>(
      `SELECT campaign_id AS id, count(DISTINCT k)::int AS n FROM (
         SELECT c.campaign_id, r.message_key AS k FROM cases c JOIN reports r ON r.case_id = c.id WHERE c.campaign_id = ANY($1::bigint[])
         UNION ALL
         SELECT c.campaign_id, r.message_key FROM cases c JOIN reports r ON r.more_case_ids @> ARRAY[c.id]
         WHERE c.campaign_id = ANY($1::bigint[]) AND r.more_case_ids IS NOT NULL
       ) x GROUP BY 1`,
      [ids],
    );
    for (const r of res.rows) counts.set(String(r.id), r.n);
  }
  for (const r of rows) r.campaignReports = r.campaign === null ? null : (counts.get(String(r.campaign)) ?? 0);
  return rows;
}

const ORDER = `ORDER BY CASE c.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, c.last_seen DESC`;

/** Cases matching a filter, most urgent first. */
export async function listCases(pool: pg.Pool, f: CaseFilter = {}): Promise<CaseListRow[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown): void => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (!f.all && !f.status) where.push('c.closed_at IS NULL');
  if (f.status) add('c.status = ?', f.status);
  if (f.priority) add('c.priority = ?', f.priority);
  if (f.customer) f.customer === '-' ? where.push('c.customer_id IS NULL') : add('c.customer_id = ?', f.customer);
  if (f.category) add('c.category = ?', f.category);
  if (f.campaign) add('c.campaign_id = ?::bigint', f.campaign);
  args.push(f.limit ?? 1000);
  const res = await pool.query<CaseListRow>(`${LIST_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${ORDER} LIMIT $${args.length}`, args);
  return withCampaignReports(pool, res.rows.map(dates));
}

export interface CaseDetail extends CaseListRow {
  /** The operator working it (null: unassigned). */
  owner: string | null;
  reason: string | null;
  trusted: boolean;
  flags: string[];
  escalations: number;
  reportsList: Array<{ receivedAt: string; messageKey: string; category: string; priority: string; automated: boolean; evidence: string | null; reporter: string }>;
  reporterList: Array<{ reporter: string; reports: number; address?: string | null; name?: string | null; erased: boolean; unfounded: boolean }>;
  linked: Array<{ ref: string; target: string; status: string; via: string }>;
  history: Array<{ at: string; actor: string; kind: string; detail: unknown }>;
}

/**
 * One case in full. Reporters are numbered (R1, R2…) and named only when
 * `withReporters` is set: the desk's own staff may need to write back, a
 * printout for anyone else must not identify them.
 */
export async function showCase(pool: pg.Pool, ref: string, withReporters = false): Promise<CaseDetail | null> {
  const head = await pool.query<CaseListRow & { id: string; reason: string | null; trusted: boolean; flags: string[]; escalations: number; owner: string | null }>(
    `${LIST_SQL.replace('c.outcome', 'c.outcome, c.id, c.reason, c.trusted, c.escalations, COALESCE(c.flags, ARRAY[]::text[]) AS flags, c.owner')} WHERE c.ref = $1`,
    [ref],
  );
  const c = head.rows[0];
  if (!c) return null;
  await withCampaignReports(pool, [c]);
  const reporters = await pool.query<{ id: string; reports: number; address: string | null; name: string | null; erased_at: Date | null; unfounded_at: Date | null }>(
    `SELECT r.id, cr.reports, r.address, r.name, r.erased_at, r.unfounded_at FROM case_reporters cr JOIN reporters r ON r.id = cr.reporter_id WHERE cr.case_id = $1 ORDER BY r.id`,
    [c.id],
  );
  const label = new Map(reporters.rows.map((r, i) => [r.id, `R${i + 1}`]));
  const reports = await pool.query<{ received_at: Date; message_key: string; category: string; priority: string; automated: boolean; evidence: Buffer | null; reporter_id: string | null }>(
    `SELECT r.received_at, r.message_key, $2::text AS category, $3::text AS priority, r.automated, r.evidence, r.reporter_id FROM reports r
     WHERE r.case_id = $1 OR (r.more_case_ids IS NOT NULL AND r.more_case_ids @> ARRAY[$1::bigint]) ORDER BY r.received_at LIMIT 1000`,
    [c.id, c.category, c.priority],
  );
  const linked = await pool.query<{ ref: string; target: string; status: string; via: string }>(
    `SELECT DISTINCT o.ref, o.target_value AS target, o.status, 'same report' AS via
       FROM reports r JOIN cases o ON o.id = r.case_id OR o.id = ANY(r.more_case_ids)
       WHERE (r.case_id = $1 OR (r.more_case_ids IS NOT NULL AND r.more_case_ids @> ARRAY[$1::bigint])) AND o.id <> $1
     UNION
     SELECT o.ref, o.target_value, o.status, 'campaign ' || o.campaign_id FROM cases o WHERE $2::bigint IS NOT NULL AND o.campaign_id = $2::bigint AND o.id <> $1
     ORDER BY 1 LIMIT 200`,
    [c.id, c.campaign],
  );
  const history = await pool.query<{ at: Date; actor: string; kind: string; detail: unknown }>(
    `SELECT at, COALESCE(actor, 'abuse-desk') AS actor, kind, detail FROM case_events WHERE case_id = $1 ORDER BY id LIMIT 1000`,
    [c.id],
  );
  const { id: _id, ...rest } = c;
  return {
    ...dates(rest),
    reportsList: reports.rows.map((r) => ({
      receivedAt: r.received_at.toISOString(),
      // The message key as the triage job and logs name it.
      messageKey: `msg-${r.message_key.replace(/-/g, '')}`,
      category: r.category,
      priority: r.priority,
      automated: r.automated,
      evidence: r.evidence ? `sha256:${r.evidence.toString("hex")}…` : null,
      reporter: r.reporter_id ? label.get(r.reporter_id) ?? 'R?' : '-',
    })),
    reporterList: reporters.rows.map((r) => ({
      reporter: label.get(r.id)!,
      reports: r.reports,
      erased: !!r.erased_at,
      unfounded: !!r.unfounded_at,
      ...(withReporters ? { address: r.address, name: r.name } : {}),
    })),
    linked: linked.rows,
    history: history.rows.map((h) => ({ at: h.at.toISOString(), actor: h.actor, kind: h.kind, detail: h.detail })),
  };
}

/** Every case (open and closed), for `cases export`, streamed in id order a page at a time. */
export async function* exportCases(pool: pg.Pool, pageSize = 1000): AsyncGenerator<CaseListRow & { id: string }> {
  let after = '0';
  for (;;) {
    const res = await pool.query<CaseListRow & { id: string }>(`${LIST_SQL.replace('c.outcome', 'c.outcome, c.id')} WHERE c.id > $1::bigint ORDER BY c.id LIMIT $2`, [after, pageSize]);
    for (const row of await withCampaignReports(pool, res.rows.map(dates))) yield row;
    if (res.rows.length < pageSize) return;
    after = res.rows[res.rows.length - 1]!.id;
  }
}

/** The cases one report joined (by message key), with their customer. */
export async function casesOfReport(pool: pg.Pool, messageKey: string): Promise<Array<{ ref: string; customer: string | null; target: string }>> {
  const key = keyUuid(messageKey);
  const res = await pool.query(
    `SELECT c.ref, c.customer_id AS customer, c.target_value AS target FROM reports r JOIN cases c ON c.id = r.case_id OR c.id = ANY(r.more_case_ids) WHERE r.message_key = $1 ORDER BY c.id`,
    [key],
  );
  return res.rows;
}

function dates<T extends object>(row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (v instanceof Date) out[k] = v.toISOString();
  return out as T;
}
