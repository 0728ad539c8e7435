import type pg from 'pg';
import { incidentsOf, type EarlierCase, type Incident } from './ladder.ts';

/**
 * Each customer's earlier incidents that count for the ladder at `now`:
 * cases opened within its window whose customer was told (their first notice
 * reached the relay before `now`) and whose time to answer had run out (the
 * rung's deadline, or the first rung's days for a notice sent without one),
 * grouped into incidents by `incidentsOf` (complaints arriving together are
 * one). Cases resolved as unfounded do not count. The caller leaves out the
 * cases being decided (`excludeCaseIds`) and the incident of a case's own
 * campaign (`incidentsBefore`).
 */
export async function priorIncidents(
  db: pg.PoolClient | pg.Pool,
  customerIds: string[],
  now: Date,
  windowDays: number,
  excludeCaseIds: string[],
  firstRungDays: number,
): Promise<Map<string, Incident[]>> {
  const out = new Map<string, Incident[]>();
  if (!customerIds.length) return out;
  const res = await db.query<{ customer_id: string; ref: string; campaign_id: string | null; opened_at: Date; answer_by: Date }>(
    `SELECT customer_id, ref, campaign_id, opened_at, COALESCE(deadline_at, first_notice_at + make_interval(days => $5)) AS answer_by
     FROM cases
     WHERE customer_id = ANY($1::text[]) AND opened_at > $2::timestamptz - make_interval(days => $3) AND opened_at < $2
       AND id <> ALL($4::bigint[]) AND (outcome IS NULL OR outcome IN ('action_taken', 'quiet'))
       AND first_notice_at < $2
       AND COALESCE(deadline_at, first_notice_at + make_interval(days => $5)) <= $2`,
    [customerIds, now, windowDays, excludeCaseIds, firstRungDays],
  );
  const byCustomer = new Map<string, EarlierCase[]>();
  for (const r of res.rows) {
    const list = byCustomer.get(r.customer_id) ?? [];
    list.push({ ref: r.ref, campaignId: r.campaign_id, openedAt: r.opened_at, answerBy: r.answer_by });
    byCustomer.set(r.customer_id, list);
  }
  for (const [customer, cases] of byCustomer) out.set(customer, incidentsOf(cases));
  return out;
}
