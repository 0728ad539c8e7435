import type pg from 'pg';
import type { LearnedRule } from '../triage/learned-rules.ts';
import { reportSource, ruleValue } from '../triage/learned-rules.ts';
import { unpackView } from './evidence-pack.ts';
import { REPORTS_OF_CASE } from './report-queries.ts';

/*
 * The learned target rules in the case store (learned_target_rules,
 * migration 012): written when an agent confirms or dismisses a case's
 * target, read by triage for each report's own sender.
 */

type Db = pg.Pool | pg.PoolClient;

interface RuleRow {
  id: string;
  source: string;
  shape: string;
  value: string;
  verdict: 'dismiss' | 'confirm';
  origin_ref: string | null;
  created_by: string;
  created_at: Date;
}

const SELECT = `SELECT l.id, l.source, l.shape, l.value, l.verdict, c.ref AS origin_ref, l.created_by, l.created_at
                  FROM learned_target_rules l LEFT JOIN cases c ON c.id = l.origin_case_id`;

const asRule = (r: RuleRow): LearnedRule & { createdBy: string; createdAt: string } => ({
  id: r.id,
  source: r.source,
  shape: r.shape,
  value: r.value,
  verdict: r.verdict,
  originRef: r.origin_ref,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** The live rules of one sender (what triage applies to its report). */
export async function learnedRulesFor(db: Db, source: string | null): Promise<LearnedRule[]> {
  if (!source) return [];
  const res = await db.query<RuleRow>(`${SELECT} WHERE l.source = $1 AND l.removed_at IS NULL ORDER BY l.id`, [source]);
  return res.rows.map(asRule);
}

/** Every live rule, newest first (the board's list). */
export async function listLearnedRules(db: Db, limit = 500): Promise<Array<LearnedRule & { createdBy: string; createdAt: string }>> {
  const res = await db.query<RuleRow>(`${SELECT} WHERE l.removed_at IS NULL ORDER BY l.id DESC LIMIT $1`, [limit]);
  return res.rows.map(asRule);
}

/** Removes a rule (it stays in the table, marked); false when there is no such live rule. */
export async function removeLearnedRule(db: Db, id: string, actor: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const res = await db.query(`UPDATE learned_target_rules SET removed_at = now(), removed_by = $2 WHERE id = $1 AND removed_at IS NULL`, [id, actor]);
  return (res.rowCount ?? 0) > 0;
}

/**
 * Records what an agent said of a case's target against the senders and
 * places its reports named it at (their kept views; a report whose evidence
 * retention erased teaches nothing). A later correction of the same name at
 * the same place replaces the earlier one. Returns the rules written.
 */
export async function learnFromCase(db: pg.PoolClient, c: { id: string; target_value: string }, verdict: 'dismiss' | 'confirm', actor: string): Promise<Array<{ id: string; source: string; shape: string; value: string }>> {
  const res = await db.query<{ view_gz: Buffer }>(
    `SELECT e.view_gz FROM reports r JOIN report_evidence e ON e.message_key = r.message_key
      WHERE ${REPORTS_OF_CASE} AND e.view_gz IS NOT NULL
      ORDER BY r.received_at LIMIT 50`,
    [c.id],
  );
  const wanted = c.target_value.toLowerCase();
  const seen = new Set<string>();
  const out: Array<{ id: string; source: string; shape: string; value: string }> = [];
  for (const row of res.rows) {
    const view = unpackView(row.view_gz);
    const source = reportSource(view);
    const t = view.targets.find((x) => x.value.toLowerCase() === wanted && x.role === 'reported' && x.shape);
    if (!source || !t?.shape) continue;
    // A target's value is a registrable domain, a host, an address or a handle: as rules hold names.
    const value = ruleValue({ kind: t.type === 'account' ? 'account' : 'host', value: t.value, host: t.value });
    const key = `${source}|${t.shape}|${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await db.query(`UPDATE learned_target_rules SET removed_at = now(), removed_by = $4 WHERE source = $1 AND shape = $2 AND value = $3 AND removed_at IS NULL`, [source, t.shape, value, actor]);
    const ins = await db.query<{ id: string }>(
      `INSERT INTO learned_target_rules (source, shape, value, verdict, origin_case_id, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [source, t.shape, value, verdict, c.id, actor],
    );
    out.push({ id: ins.rows[0]!.id, source, shape: t.shape, value });
  }
  return out;
}
