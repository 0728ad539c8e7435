import type pg from 'pg';
import type { ReportInput } from './plan-report.ts';

/**
 * Records the batch's reporters, in hash order (the lock order): each one's
 * id, and which are flagged for manifestly unfounded notices. New reporters
 * are inserted; known ones are only read (their row is rewritten at most
 * daily, for last_seen, or when they become trusted), so a busy reporter
 * costs no row version per report. An erasure racing with us shows as a
 * missing row: inserted again, as a new reporter.
 */
export async function recordReporters(db: pg.PoolClient, reports: readonly ReportInput[]): Promise<{ ids: Map<string, string>; unfounded: Set<string> }> {
  const reporters = new Map<string, NonNullable<ReportInput['reporter']> & { trusted: boolean; at: string }>();
  for (const r of reports) {
    if (!r.reporter) continue;
    const prev = reporters.get(r.reporter.hash);
    reporters.set(r.reporter.hash, { ...r.reporter, trusted: r.trusted || (prev?.trusted ?? false), at: prev && prev.at > r.receivedAt ? prev.at : r.receivedAt });
  }
  const rs = [...reporters.values()].sort((a, b) => (a.hash < b.hash ? -1 : 1));
  const ids = new Map<string, string>();
  const unfounded = new Set<string>();
  for (let round = 0; round < 3 && ids.size < rs.length; round++) {
    const want = rs.filter((r) => !ids.has(r.hash));
    const ins = await db.query<{ id: string; address_hash: Buffer }>(
      `INSERT INTO reporters (address_hash, address, name, trusted, first_seen, last_seen, language)
       SELECT h, a, n, t, s, s, l FROM unnest($1::bytea[], $2::text[], $3::text[], $4::boolean[], $5::timestamptz[], $6::text[]) AS x(h, a, n, t, s, l) ORDER BY h
       ON CONFLICT (address_hash) DO NOTHING RETURNING id, address_hash`,
      [want.map((r) => Buffer.from(r.hash, 'hex')), want.map((r) => r.address), want.map((r) => r.name), want.map((r) => r.trusted), want.map((r) => r.at), want.map((r) => r.language ?? null)],
    );
    for (const row of ins.rows) ids.set(row.address_hash.toString('hex'), row.id);
    const rest = want.filter((r) => !ids.has(r.hash));
    if (!rest.length) break;
    const sel = await db.query<{ id: string; address_hash: Buffer; stale: boolean; trusted: boolean; unfounded: boolean }>(
      `SELECT id, address_hash, last_seen < x.at - interval '1 day' AS stale, trusted, unfounded_at IS NOT NULL AS unfounded
       FROM reporters JOIN unnest($1::bytea[], $2::timestamptz[]) AS x(h, at) ON x.h = address_hash`,
      [rest.map((r) => Buffer.from(r.hash, 'hex')), rest.map((r) => r.at)],
    );
    const refresh: string[] = [];
    for (const row of sel.rows) {
      const hex = row.address_hash.toString('hex');
      ids.set(hex, row.id);
      if (row.unfounded) unfounded.add(hex);
      if (row.stale || (!row.trusted && reporters.get(hex)!.trusted)) refresh.push(row.id);
    }
    if (refresh.length) {
      const ats = refresh.map((id) => rest.find((r) => ids.get(r.hash) === id)!);
      await db.query(
        `UPDATE reporters SET last_seen = GREATEST(last_seen, x.at), trusted = trusted OR x.t FROM unnest($1::bigint[], $2::timestamptz[], $3::boolean[]) AS x(id, at, t) WHERE reporters.id = x.id`,
        [refresh, ats.map((r) => r.at), ats.map((r) => r.trusted)],
      );
    }
  }
  // Another transaction erased or wrote them meanwhile: the batch is retried whole.
  if (ids.size < rs.length) throw Object.assign(new Error('could not record reporters'), { code: '40001' });
  return { ids, unfounded };
}
