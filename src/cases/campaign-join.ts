import type pg from 'pg';
import { groupBySignal, keptCampaign } from './campaign-groups.ts';
import type { CaseRow } from './case-row.ts';
import type { PlannedEvent } from './plan-assignment.ts';
import type { ReportInput } from './plan-report.ts';

/**
 * Links the cases of spam reports that share a signal into one campaign,
 * inside the assigning transaction. Signals are locked in order; reports of
 * the batch that share a signal are grouped first (campaign-groups.ts);
 * campaigns found to overlap are merged into the oldest. Returns each case's
 * campaign (the batch's own cases take theirs in the store's update) and the
 * history lines of cases moved by a merge.
 */
export async function joinCampaigns(db: pg.PoolClient, reports: readonly ReportInput[], caseOf: (key: string) => CaseRow): Promise<{ campaignOf: Map<string, string>; events: PlannedEvent[] }> {
  const campaignOf = new Map<string, string>();
  const events: PlannedEvent[] = [];
  const spam = reports.filter((r) => r.signals.length);
  if (!spam.length) return { campaignOf, events };
  const signals = [...new Set(spam.flatMap((r) => r.signals))].sort();
  await db.query(`SELECT pg_advisory_xact_lock(h) FROM (SELECT hashtextextended(s, 7) AS h FROM unnest($1::text[]) AS s ORDER BY s) q`, [signals]);
  const known = await db.query<{ signal: string; root: string }>(
    `WITH RECURSIVE up(signal, id, next) AS (
       SELECT s.signal, c.id, c.merged_into FROM campaign_signals s JOIN campaigns c ON c.id = s.campaign_id WHERE s.signal = ANY($1::text[])
       UNION ALL SELECT up.signal, c.id, c.merged_into FROM up JOIN campaigns c ON c.id = up.next)
     SELECT signal, id AS root FROM up WHERE next IS NULL`,
    [signals],
  );
  const rootOfSignal = new Map(known.rows.map((r) => [r.signal, r.root]));

  const groups = groupBySignal(spam, rootOfSignal, caseOf);
  const needNew = groups.filter((g) => !g.existing.size);
  if (needNew.length) {
    const res = await db.query<{ id: string }>(`INSERT INTO campaigns (created_at) SELECT now() FROM generate_series(1, $1::int) RETURNING id`, [needNew.length]);
    needNew.forEach((g, i) => g.existing.add(res.rows[i]!.id));
  }
  const sigs: string[] = [];
  const sigRoots: string[] = [];
  const caseIds: string[] = [];
  const caseRoots: string[] = [];
  for (const g of groups) {
    const { root, merged } = keptCampaign(g);
    if (merged.length) {
      // Campaigns found to overlap: the newer ones point to the oldest.
      await db.query(`UPDATE campaigns SET merged_into = $1 WHERE id = ANY($2::bigint[])`, [root, merged]);
      await db.query(`UPDATE campaign_signals SET campaign_id = $1 WHERE campaign_id = ANY($2::bigint[])`, [root, merged]);
      const moved = await db.query<{ id: string }>(`UPDATE cases SET campaign_id = $1 WHERE campaign_id = ANY($2::bigint[]) RETURNING id`, [root, merged]);
      for (const m of moved.rows) {
        campaignOf.set(m.id, root);
        events.push({ caseId: m.id, kind: 'campaign', detail: { merged, into: root } });
      }
    }
    for (const s of g.signals) if (rootOfSignal.get(s) !== root) sigs.push(s), sigRoots.push(root);
    for (const id of g.caseIds) caseIds.push(id), caseRoots.push(root);
  }
  if (sigs.length) {
    await db.query(
      `INSERT INTO campaign_signals (signal, campaign_id) SELECT s, c FROM unnest($1::text[], $2::bigint[]) AS x(s, c)
       ON CONFLICT (signal) DO UPDATE SET campaign_id = EXCLUDED.campaign_id`,
      [sigs, sigRoots],
    );
  }
  for (let i = 0; i < caseIds.length; i++) if (!campaignOf.has(caseIds[i]!)) campaignOf.set(caseIds[i]!, caseRoots[i]!);
  return { campaignOf, events };
}
