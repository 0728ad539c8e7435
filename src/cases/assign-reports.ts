import type pg from 'pg';
import type { Config } from '../config/schema.ts';
import { joinCampaigns } from './campaign-join.ts';
import { caseFamily } from './case-family.ts';
import type { DeadlineOf, StoredDeadline } from './stored-deadline.ts';
import type { CaseRuleSettings } from './case-rules.ts';
import { CASE_COLUMNS, summaryOf, type CaseRow } from './case-row.ts';
import { caseLinks, demoteUnfounded, evaluateCases, finishPlan, firstNotices, isQuiet, opening, quietClosed, type AssignmentPlan, type PlannedEvent, type ReportOutcome } from './plan-assignment.ts';
import { nextCaseRefSql } from './case-ref.ts';
import { caseKey, type CaseLink, type ReportInput } from './plan-report.ts';
import { priorIncidents } from './prior-incidents.ts';
import { recordReporters } from './record-reporters.ts';
import { decodeEffects, encodeEffects, type Effects } from './report-effects.ts';
import { keyUuid } from './report-key.ts';

export interface AssignSettings extends CaseRuleSettings {
  refPrefix: string;
  joinWindowSec: number;
  ladder: Config['ladder'];
  /** The SLA deadline of a case as it opens (else it is marked stale and derived after). */
  deadlineOf?: DeadlineOf;
}

/** A conflict with a concurrent transaction: the whole batch is retried (as a serialisation failure is). */
const retryWhole = (message: string): Error => Object.assign(new Error(message), { code: '40001' });

/**
 * Assigns reports not seen before, in the caller's transaction: reads and
 * locks what the plan needs (reporters, cases by key, the reporter tally,
 * campaigns, the customers' earlier incidents), lets the pure planner
 * (plan-assignment.ts) decide, and writes what it says. Rows are locked in
 * one global order (reports, reporters, cases by key, campaign signals) so
 * concurrent workers never deadlock in the usual case.
 */
export async function assignFreshReports(db: pg.PoolClient, fresh: readonly ReportInput[], s: AssignSettings, now: Date): Promise<ReportOutcome[]> {
  const { ids: reporterIds, unfounded } = await recordReporters(db, fresh);
  const reports = demoteUnfounded(fresh, unfounded);

  const { links, keys } = caseLinks(reports);
  const { rows, created, events: closed } = await lockOrOpenCases(db, reports, links, keys, s, now);
  const tally = await tallyReporters(db, reports, reporterIds, rows);
  const evaluated = evaluateCases(reports, keys, rows, created, tally, s, now);
  // Campaigns before the update, so a case takes its campaign in the same row version.
  const campaigns = await joinCampaigns(db, reports, (k) => rows.get(k)!);
  const firsts = s.ladder.enabled ? firstNotices(evaluated) : [];
  const prior = await priorIncidents(db, [...new Set(firsts.map((c) => c.row.customer_id!))], now, s.ladder.windowDays, [...evaluated.values()].map((c) => c.row.id), s.ladder.rungs[0]!.deadlineDays);
  const plan = finishPlan(reports, evaluated, { campaignOf: campaigns.campaignOf, prior }, s.ladder, now);

  await writeCases(db, plan, now, s.deadlineOf);
  await writeEvents(db, [...closed, ...campaigns.events, ...plan.events], now);
  // The reports last: a report written by a concurrent job meanwhile (the
  // same message twice at once) rolls this one back, to be retried as a replay.
  const res = await db.query(
    `INSERT INTO reports (message_key, received_at, reporter_id, automated, evidence, case_id, more_case_ids, effects)
     SELECT k, t, rid, a, e, (cids->>0)::bigint, CASE WHEN jsonb_array_length(cids) > 1 THEN ARRAY(SELECT jsonb_array_elements_text(cids - 0)::bigint) END, ef
     FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::boolean[], $5::bytea[], $6::jsonb[], $7::jsonb[]) AS x(k, t, rid, a, e, cids, ef)
     ON CONFLICT (message_key) DO NOTHING`,
    [
      reports.map((r) => keyUuid(r.messageKey)),
      reports.map((r) => r.receivedAt),
      reports.map((r) => (r.reporter ? reporterIds.get(r.reporter.hash) ?? null : null)),
      reports.map((r) => r.automated),
      reports.map((r) => (r.evidence ? Buffer.from(r.evidence.slice(0, 32), 'hex') : null)),
      plan.outcomes.map((o) => JSON.stringify(o.cases.map((c) => c.id))),
      plan.outcomes.map((o) => {
        const e = encodeEffects(o);
        return e ? JSON.stringify(e) : null;
      }),
    ],
  );
  if ((res.rowCount ?? 0) < reports.length) throw retryWhole('a report was assigned concurrently; retrying as a replay');
  await keepEvidence(db, reports);
  return plan.outcomes;
}

/** Reports assigned before (a retried or duplicated job): the cases and mails they had the first time. */
export async function replayReports(db: pg.PoolClient, reports: readonly ReportInput[]): Promise<ReportOutcome[]> {
  const res = await db.query<{ message_key: string; case_ids: string[]; effects: Effects | null }>(
    `SELECT message_key, case_id || COALESCE(more_case_ids, '{}') AS case_ids, effects FROM reports WHERE message_key = ANY($1::uuid[])`,
    [reports.map((r) => keyUuid(r.messageKey))],
  );
  const byKey = new Map(res.rows.map((r) => [r.message_key, r]));
  const ids = [...new Set(res.rows.flatMap((r) => r.case_ids))];
  const cases = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(cases.rows.map((c) => [c.id, c]));
  return reports.map((r) => {
    const row = byKey.get(keyUuid(r.messageKey));
    return {
      messageKey: r.messageKey,
      replay: true,
      cases: (row?.case_ids ?? []).map((id) => byId.get(id)).filter((c): c is CaseRow => !!c).map((c) => summaryOf(c, false)),
      ...decodeEffects(row?.effects ?? null),
    };
  });
}

/** Cases, in key order: lock the open ones, close those quiet past the window, open the rest. */
async function lockOrOpenCases(
  db: pg.PoolClient,
  reports: readonly ReportInput[],
  links: ReadonlyMap<string, CaseLink>,
  keys: readonly string[],
  s: AssignSettings,
  now: Date,
): Promise<{ rows: Map<string, CaseRow>; created: Set<string>; events: PlannedEvent[] }> {
  const rows = new Map<string, CaseRow>();
  const created = new Set<string>();
  const events: PlannedEvent[] = [];
  const keyCols = (ks: readonly string[]): string[][] => {
    const ls = ks.map((k) => links.get(k)!);
    return [ls.map((l) => l.customerId ?? ''), ls.map((l) => l.targetType), ls.map((l) => l.targetValue.toLowerCase()), ls.map((l) => caseFamily(l.category, l.targetType))];
  };
  const keyOf = (row: CaseRow): string => caseKey(row.customer_id, row.target_type, row.target_value, row.category);
  // One order for every transaction (the open-key index's), so two never wait on each other in a cycle.
  const lockOpen = async (want: readonly string[]): Promise<void> => {
    const res = await db.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM cases
       WHERE (COALESCE(customer_id, ''), target_type, lower(target_value), COALESCE(family, category)) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))
         AND closed_at IS NULL
       ORDER BY COALESCE(customer_id, '') COLLATE "C", target_type COLLATE "C", lower(target_value) COLLATE "C", COALESCE(family, category) COLLATE "C" FOR UPDATE`,
      keyCols(want),
    );
    const quiet: string[] = [];
    for (const row of res.rows) {
      if (isQuiet(row, now, s.joinWindowSec)) quiet.push(row.id);
      else rows.set(keyOf(row), row);
    }
    if (quiet.length) {
      await db.query(`UPDATE cases SET closed_at = $2, status = 'closed', outcome = 'quiet' WHERE id = ANY($1::bigint[])`, [quiet, now]);
      events.push(...quiet.map(quietClosed));
    }
  };
  await lockOpen(keys);
  for (let round = 0; round < 3; round++) {
    const missing = keys.filter((k) => !rows.has(k));
    if (!missing.length) break;
    const ls = missing.map((k) => links.get(k)!);
    const starts = ls.map((l) => opening(reports, l));
    // Each new case's deadline written with it (no second write to list it in its place), when the policy is at hand.
    const deadlines = ls.map((l, i) =>
      s.deadlineOf?.({ ref: '', status: starts[i]!.status, priority: starts[i]!.priority, category: l.category, policy: l.policy, customerId: l.customerId, noticesSent: 0, firstNoticeAt: null, reviewedAt: null, openedAt: now, pausedSec: 0 }),
    );
    const res = await db.query<CaseRow>(
      `INSERT INTO cases (ref, customer_id, target_type, target_value, category, family, policy, status, priority, first_seen, last_seen, opened_at, sla_due_at, sla_warn_at, sla_clock, sla_stale)
       SELECT ${nextCaseRefSql('$7', '$8::timestamptz')},
              NULLIF(cu, ''), tt, tv, ca, NULLIF(fa, ca), po, st, pr, fs, fs, $8, du, wa, sla_clock_code(cl), NOT $15::boolean
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::text[])
         AS x(cu, tt, tv, ca, po, fs, st, pr, fa, du, wa, cl)
       ORDER BY cu COLLATE "C", tt COLLATE "C", lower(tv) COLLATE "C", fa COLLATE "C"
       ON CONFLICT ((COALESCE(customer_id, '')), target_type, (lower(target_value)), (COALESCE(family, category))) WHERE closed_at IS NULL DO NOTHING
       RETURNING ${CASE_COLUMNS}`,
      [
        ls.map((l) => l.customerId ?? ''), ls.map((l) => l.targetType), ls.map((l) => l.targetValue), ls.map((l) => l.category), ls.map((l) => l.policy),
        starts.map((o) => o.firstSeen), s.refPrefix, now, starts.map((o) => o.status), starts.map((o) => o.priority), ls.map((l) => caseFamily(l.category, l.targetType)),
        deadlines.map((d) => d?.dueAt ?? null), deadlines.map((d) => d?.warnAt ?? null), deadlines.map((d) => d?.clock ?? null), !!s.deadlineOf,
      ],
    );
    for (const row of res.rows) rows.set(keyOf(row), row), created.add(keyOf(row));
    // Another worker opened some of them meanwhile: join its cases.
    if (res.rows.length < missing.length) await lockOpen(missing.filter((k) => !rows.has(k)));
  }
  const unresolved = keys.filter((k) => !rows.has(k));
  if (unresolved.length) throw retryWhole(`could not open or lock cases ${unresolved.join(', ')}`);
  return { rows, created, events };
}

/** Adds the batch's reports to each case's per-reporter tally: reporters new to a case, and the most from one. */
async function tallyReporters(db: pg.PoolClient, reports: readonly ReportInput[], reporterIds: ReadonlyMap<string, string>, rows: ReadonlyMap<string, CaseRow>) {
  const perReporter = new Map<string, number>();
  for (const r of reports) {
    const rid = r.reporter ? reporterIds.get(r.reporter.hash) : undefined;
    if (!rid) continue;
    for (const l of r.links) {
      const k = `${rows.get(l.key)!.id}:${rid}`;
      perReporter.set(k, (perReporter.get(k) ?? 0) + 1);
    }
  }
  const newReporters = new Map<string, number>();
  const maxFromOne = new Map<string, number>();
  const repeated = new Set<string>();
  if (perReporter.size) {
    const entries = [...perReporter.entries()].map(([k, n]) => [...k.split(':'), n] as [string, string, number]);
    const res = await db.query<{ case_id: string; reports: number; inserted: boolean }>(
      `INSERT INTO case_reporters (case_id, reporter_id, reports) SELECT c, r, n FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS x(c, r, n) ORDER BY c, r
       ON CONFLICT (case_id, reporter_id) DO UPDATE SET reports = case_reporters.reports + EXCLUDED.reports
       RETURNING case_id, reports, (xmax = 0) AS inserted`,
      [entries.map((e) => e[0]), entries.map((e) => e[1]), entries.map((e) => e[2])],
    );
    for (const row of res.rows) {
      if (row.inserted) newReporters.set(row.case_id, (newReporters.get(row.case_id) ?? 0) + 1);
      maxFromOne.set(row.case_id, Math.max(maxFromOne.get(row.case_id) ?? 0, row.reports));
      // A reporter writing again about the same case (this batch's reports among theirs).
      if (row.reports >= 2) repeated.add(row.case_id);
    }
  }
  return { newReporters, maxFromOne, repeated };
}

/** The plan's writes to the case rows, in one statement. */
async function writeCases(db: pg.PoolClient, plan: AssignmentPlan, now: Date, deadlineOf?: DeadlineOf): Promise<void> {
  const u = plan.updates;
  // With the SLA policy at hand, each case's deadline is written with its new state (and the trigger of
  // migration 010 told so: the row is not left stale for a second write).
  const deadlines = deadlineOf ? await deadlinesAfter(db, u, deadlineOf) : null;
  if (deadlines) await db.query(`SELECT set_config('abuse_desk.deadlines', 'written', true)`);
  await db.query(
    `UPDATE cases SET campaign_id = COALESCE(x.cp, campaign_id), report_count = x.rc, reporter_count = x.rp, max_from_one = x.mo, first_seen = x.fs, last_seen = x.ls,
       priority = x.pr, status = x.st, trusted = x.tr,
       notices_sent = notices_sent + x.nn,
       notified_at = CASE WHEN x.nn > 0 THEN $13::timestamptz ELSE notified_at END,
       notified_reports = CASE WHEN x.nn > 0 THEN x.rc ELSE notified_reports END,
       escalations = CASE WHEN x.es THEN escalations + 1 ELSE escalations END,
       escalated_at = CASE WHEN x.es THEN $13::timestamptz ELSE escalated_at END,
       reason = COALESCE(reason, x.re),
       rung = COALESCE(x.rg, rung), deadline_at = COALESCE(x.dl, deadline_at), category = x.ca, policy = x.po,
       sla_due_at = CASE WHEN $19 THEN x.du ELSE sla_due_at END, sla_warn_at = CASE WHEN $19 THEN x.wa ELSE sla_warn_at END,
       sla_clock = CASE WHEN $19 THEN sla_clock_code(x.cl) ELSE sla_clock END, sla_stale = CASE WHEN $19 THEN false ELSE sla_stale END
     FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::boolean[], $10::int[], $11::boolean[], $12::text[], $14::bigint[], $15::text[], $16::timestamptz[], $17::text[], $18::text[],
                 $20::timestamptz[], $21::timestamptz[], $22::text[])
       AS x(id, rc, rp, mo, fs, ls, pr, st, tr, nn, es, re, cp, rg, dl, ca, po, du, wa, cl)
     WHERE cases.id = x.id`,
    [
      u.map((c) => c.id), u.map((c) => c.reportCount), u.map((c) => c.reporterCount), u.map((c) => c.maxFromOne), u.map((c) => c.firstSeen), u.map((c) => c.lastSeen),
      u.map((c) => c.priority), u.map((c) => c.status), u.map((c) => c.trusted), u.map((c) => c.notices), u.map((c) => c.escalate), u.map((c) => c.reason),
      now, u.map((c) => c.campaignId), u.map((c) => c.rung), u.map((c) => c.deadlineAt), u.map((c) => c.category), u.map((c) => c.policy),
      !!deadlines, u.map((c) => deadlines?.get(c.id)?.dueAt ?? null), u.map((c) => deadlines?.get(c.id)?.warnAt ?? null), u.map((c) => deadlines?.get(c.id)?.clock ?? null),
    ],
  );
  if (deadlines) await db.query(`SELECT set_config('abuse_desk.deadlines', '', true)`);
}

/** Each updated case's deadline once the plan is written: its new state, and what the plan does not change (read under the lock). */
async function deadlinesAfter(db: pg.PoolClient, u: AssignmentPlan['updates'], deadlineOf: DeadlineOf): Promise<Map<string, StoredDeadline | null>> {
  const rows = await db.query<{ id: string; ref: string; customer_id: string | null; notices_sent: number; first_notice_at: Date | null; reviewed_at: Date | null; opened_at: Date; paused_sec: number }>(
    `SELECT id, ref, customer_id, notices_sent, first_notice_at, reviewed_at, opened_at, COALESCE(paused_sec, 0) AS paused_sec FROM cases WHERE id = ANY($1::bigint[])`,
    [u.map((c) => c.id)],
  );
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  const out = new Map<string, StoredDeadline | null>();
  for (const c of u) {
    const r = byId.get(c.id)!;
    out.set(c.id, deadlineOf({ ref: r.ref, status: c.status, priority: c.priority, category: c.category, policy: c.policy, customerId: r.customer_id, noticesSent: r.notices_sent + c.notices, firstNoticeAt: r.first_notice_at, reviewedAt: r.reviewed_at, openedAt: r.opened_at, pausedSec: r.paused_sec }));
  }
  return out;
}

async function writeEvents(db: pg.PoolClient, events: readonly PlannedEvent[], now: Date): Promise<void> {
  if (!events.length) return;
  await db.query(`INSERT INTO case_events (case_id, at, kind, detail) SELECT c, $4, k, d FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) AS x(c, k, d)`, [
    events.map((e) => e.caseId),
    events.map((e) => e.kind),
    events.map((e) => JSON.stringify(e.detail)),
    now,
  ]);
}

/**
 * Each report's evidence (the view a person reads, the raw message, its
 * words for search), in the report's transaction: a report is never without
 * it, and a rolled-back batch leaves none behind.
 */
async function keepEvidence(db: pg.PoolClient, reports: readonly ReportInput[]): Promise<void> {
  const kept = reports.filter((r) => r.kept);
  if (!kept.length) return;
  await db.query(
    `INSERT INTO report_evidence (message_key, message_id, raw_bytes, raw_gz, view_gz, search)
     SELECT k, mid, n, raw, v, to_tsvector('english', t) || to_tsvector('french', t)
     FROM unnest($1::uuid[], $2::text[], $3::integer[], $4::bytea[], $5::bytea[], $6::text[]) AS x(k, mid, n, raw, v, t)
     ON CONFLICT (message_key) DO NOTHING`,
    [
      kept.map((r) => keyUuid(r.messageKey)),
      kept.map((r) => r.kept!.messageId?.slice(0, 998) ?? null),
      kept.map((r) => r.kept!.rawBytes),
      kept.map((r) => r.kept!.rawGz),
      kept.map((r) => r.kept!.viewGz),
      kept.map((r) => r.kept!.search),
    ],
  );
}
