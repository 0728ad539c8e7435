import type pg from 'pg';

/**
 * Earlier incidents of each customer within the ladder's window, as keys:
 * cases opened together (one report) or in one campaign are one incident;
 * cases resolved as unfounded do not count. The caller leaves out the
 * incident a case itself belongs to (its campaign; `incidentsBefore`).
 */
export async function priorIncidents(db: pg.PoolClient | pg.Pool, customerIds: string[], now: Date, windowDays: number, excludeCaseIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (!customerIds.length) return out;
  const res = await db.query<{ customer_id: string; incident: string }>(
    `SELECT DISTINCT customer_id, COALESCE('campaign:' || campaign_id::text, 'opened:' || opened_at::text) AS incident
     FROM cases
     WHERE customer_id = ANY($1::text[]) AND opened_at > $2::timestamptz - make_interval(days => $3) AND opened_at < $2
       AND id <> ALL($4::bigint[]) AND (outcome IS NULL OR outcome IN ('action_taken', 'quiet'))`,
    [customerIds, now, windowDays, excludeCaseIds],
  );
  for (const r of res.rows) out.set(r.customer_id, (out.get(r.customer_id) ?? new Set()).add(r.incident));
  return out;
}
