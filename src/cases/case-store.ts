import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Category, Priority } from '../classify/category-names.ts';
import { evaluateCase, higher, type CaseHead, type CaseRuleSettings, type CaseState, type CaseStatus, type Incoming } from './case-rules.ts';
import type { Config } from '../config/schema.ts';
import { chooseRung, type RungChoice } from '../decisions/ladder.ts';
import type { CaseTargetType, NoticePolicy } from './notice-policy.ts';
import { caseKey, type CaseLink, type ReportInput } from './plan-report.ts';
import { withTransaction } from './transaction.ts';

/** A case as a report's outcome shows it (no personal data); `created` is false on a replay. */
export interface CaseSummary extends CaseHead {
  reportCount: number;
  reporterCount: number;
  campaignId: string | null;
}

/** What assigning one report did: its cases, and the mails it set off. */
export interface ReportOutcome {
  messageKey: string;
  /** The report was assigned before (a retried or duplicated job): same cases, same mails. */
  replay: boolean;
  cases: CaseSummary[];
  /** Notices due: the case's reports in all when decided (total), and new since the previous notice. */
  notices: Array<{ caseId: string; seq: number; newReports: number; total?: number; rung?: number }>;
  escalation: { seq: number; caseIds: string[]; reasons: string[] } | null;
}

export interface StoreSettings extends CaseRuleSettings {
  refPrefix: string;
  joinWindowSec: number;
  ladder: Config['ladder'];
}

/**
 * Earlier incidents of each customer within the ladder's window, as keys:
 * cases opened together (one report) or in one campaign are one incident;
 * cases resolved as unfounded do not count. The caller leaves out the
 * incident a case itself belongs to (its campaign).
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

/** How many of a customer's earlier incidents count for a case in `campaignId` (its own campaign does not). */
export function incidentsBefore(prior: Map<string, Set<string>>, customerId: string, campaignId: string | null): number {
  const set = prior.get(customerId);
  if (!set) return 0;
  return set.size - (campaignId && set.has(`campaign:${campaignId}`) ? 1 : 0);
}

interface Effects {
  n?: Array<[string, number, number, number?, number?]>;
  e?: { seq: number; c: string[]; r: string[] };
}

const RETRYABLE = new Set(['40P01', '40001']);
const CASE_COLUMNS = `id, ref, customer_id, target_type, target_value, category, policy, status, priority, trusted, report_count, reporter_count,
  max_from_one, notices_sent, notified_at, notified_reports, escalations, escalated_at, campaign_id, last_seen, first_seen, flags`;

interface CaseRow {
  id: string;
  ref: string;
  customer_id: string | null;
  target_type: CaseTargetType;
  target_value: string;
  category: Category;
  policy: NoticePolicy;
  status: CaseStatus;
  priority: Priority;
  trusted: boolean;
  report_count: number;
  reporter_count: number;
  max_from_one: number;
  notices_sent: number;
  notified_at: Date | null;
  notified_reports: number;
  escalations: number;
  escalated_at: Date | null;
  campaign_id: string | null;
  last_seen: Date;
  first_seen: Date;
  flags: string[] | null;
}

/** The message key (msg-<32 hex>) as the uuid it is stored as; any other key is hashed to one. */
export function keyUuid(messageKey: string): string {
  const hex = /^msg-[0-9a-f]{32}$/.test(messageKey) ? messageKey.slice(4) : createHash('sha256').update(messageKey).digest('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const headOf = (r: CaseRow, created: boolean): CaseHead => ({
  id: r.id,
  ref: r.ref,
  created,
  customerId: r.customer_id,
  targetType: r.target_type,
  targetValue: r.target_value,
  category: r.category,
  policy: r.policy,
  status: r.status,
  priority: r.priority,
});

const summary = (r: CaseRow, created: boolean): CaseSummary => ({
  ...headOf(r, created),
  reportCount: r.report_count,
  reporterCount: r.reporter_count,
  campaignId: r.campaign_id,
});

/**
 * The case store in PostgreSQL: assigns reports to cases. One transaction
 * per batch of reports; rows are locked in one global order (reports,
 * reporters, cases by key, campaign signals) so concurrent workers never
 * deadlock in the usual case, and a deadlock or serialisation failure is
 * retried whole. A report already assigned (the same message key) changes
 * nothing and returns what it did the first time.
 */
export class CaseStore {
  constructor(
    readonly pool: pg.Pool,
    private readonly s: StoreSettings,
  ) {}

  async assign(reports: readonly ReportInput[], now = new Date()): Promise<ReportOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withTransaction(this.pool, (db) => this.assignIn(db, reports, now));
      } catch (err) {
        if (attempt < 5 && RETRYABLE.has((err as { code?: string }).code ?? '')) continue;
        throw err;
      }
    }
  }

  private async assignIn(db: pg.PoolClient, input: readonly ReportInput[], now: Date): Promise<ReportOutcome[]> {
    // The same message twice in one batch is one report.
    const byKey = new Map<string, ReportInput>();
    for (const r of input) if (!byKey.has(r.messageKey)) byKey.set(r.messageKey, r);
    const reports = [...byKey.values()].sort((a, b) => (a.messageKey < b.messageKey ? -1 : 1));

    const known = await db.query<{ message_key: string }>(`SELECT message_key FROM reports WHERE message_key = ANY($1::uuid[])`, [reports.map((r) => keyUuid(r.messageKey))]);
    const seen = new Set(known.rows.map((r) => r.message_key));
    const fresh = reports.filter((r) => !seen.has(keyUuid(r.messageKey)));
    const replays = reports.filter((r) => seen.has(keyUuid(r.messageKey)));

    const outcomes = new Map<string, ReportOutcome>();
    if (fresh.length) for (const o of await this.assignFresh(db, fresh, now)) outcomes.set(o.messageKey, o);
    if (replays.length) for (const o of await this.replay(db, replays)) outcomes.set(o.messageKey, o);
    return input.map((r) => outcomes.get(r.messageKey)!);
  }

  private async assignFresh(db: pg.PoolClient, fresh: ReportInput[], now: Date): Promise<ReportOutcome[]> {
    let reports = fresh;
    // Reporters, in hash order.
    const reporters = new Map<string, NonNullable<ReportInput['reporter']> & { trusted: boolean; at: string }>();
    for (const r of reports) {
      if (!r.reporter) continue;
      const prev = reporters.get(r.reporter.hash);
      reporters.set(r.reporter.hash, { ...r.reporter, trusted: r.trusted || (prev?.trusted ?? false), at: prev && prev.at > r.receivedAt ? prev.at : r.receivedAt });
    }
    const rs = [...reporters.values()].sort((a, b) => (a.hash < b.hash ? -1 : 1));
    const reporterIds = new Map<string, string>();
    const unfounded = new Set<string>();
    // New reporters are inserted; known ones are only read (their row is
    // rewritten at most daily, for last_seen), so a busy reporter costs no
    // row version per report. An erasure racing with us shows as a missing
    // row: inserted again, as a new reporter.
    for (let round = 0; round < 3 && reporterIds.size < rs.length; round++) {
      const want = rs.filter((r) => !reporterIds.has(r.hash));
      const ins = await db.query<{ id: string; address_hash: Buffer }>(
        `INSERT INTO reporters (address_hash, address, name, trusted, first_seen, last_seen, language)
         SELECT h, a, n, t, s, s, l FROM unnest($1::bytea[], $2::text[], $3::text[], $4::boolean[], $5::timestamptz[], $6::text[]) AS x(h, a, n, t, s, l) ORDER BY h
         ON CONFLICT (address_hash) DO NOTHING RETURNING id, address_hash`,
        [want.map((r) => Buffer.from(r.hash, 'hex')), want.map((r) => r.address), want.map((r) => r.name), want.map((r) => r.trusted), want.map((r) => r.at), want.map((r) => r.language ?? null)],
      );
      for (const row of ins.rows) reporterIds.set(row.address_hash.toString('hex'), row.id);
      const rest = want.filter((r) => !reporterIds.has(r.hash));
      if (!rest.length) break;
      const sel = await db.query<{ id: string; address_hash: Buffer; stale: boolean; trusted: boolean; unfounded: boolean }>(
        `SELECT id, address_hash, last_seen < x.at - interval '1 day' AS stale, trusted, unfounded_at IS NOT NULL AS unfounded
         FROM reporters JOIN unnest($1::bytea[], $2::timestamptz[]) AS x(h, at) ON x.h = address_hash`,
        [rest.map((r) => Buffer.from(r.hash, 'hex')), rest.map((r) => r.at)],
      );
      const refresh: string[] = [];
      for (const row of sel.rows) {
        const hex = row.address_hash.toString('hex');
        reporterIds.set(hex, row.id);
        if (row.unfounded) unfounded.add(hex);
        if (row.stale || (!row.trusted && reporters.get(hex)!.trusted)) refresh.push(row.id);
      }
      if (refresh.length) {
        const ats = refresh.map((id) => rest.find((r) => reporterIds.get(r.hash) === id)!);
        await db.query(
          `UPDATE reporters SET last_seen = GREATEST(last_seen, x.at), trusted = trusted OR x.t FROM unnest($1::bigint[], $2::timestamptz[], $3::boolean[]) AS x(id, at, t) WHERE reporters.id = x.id`,
          [refresh, ats.map((r) => r.at), ats.map((r) => r.trusted)],
        );
      }
    }
    if (reporterIds.size < rs.length) throw Object.assign(new Error('could not record reporters'), { code: '40001' });
    // A reporter flagged for manifestly unfounded notices (DSA art. 23) is
    // still heard, at low priority, and raises nothing.
    if (unfounded.size) reports = reports.map((r) => (r.reporter && unfounded.has(r.reporter.hash) ? { ...r, priority: 'low', trusted: false, escalate: null } : r));

    // Cases, in key order: lock the open ones, close those quiet past the window, open the rest.
    const links = new Map<string, CaseLink>();
    for (const r of reports) for (const l of r.links) if (!links.has(l.key)) links.set(l.key, l);
    const keys = [...links.keys()].sort();
    const rows = new Map<string, CaseRow>();
    const created = new Set<string>();
    const events: Array<{ caseId: string; kind: string; detail: Record<string, unknown> }> = [];
    const keyCols = (ks: string[]): string[][] => {
      const ls = ks.map((k) => links.get(k)!);
      return [ls.map((l) => l.customerId ?? ''), ls.map((l) => l.targetType), ls.map((l) => l.targetValue.toLowerCase()), ls.map((l) => l.category)];
    };
    const keyOf = (row: CaseRow): string => caseKey(row.customer_id, row.target_type, row.target_value, row.category);
    // One order for every transaction (the open-key index's), so two never wait on each other in a cycle.
    const lockOpen = async (want: string[]): Promise<void> => {
      const res = await db.query<CaseRow>(
        `SELECT ${CASE_COLUMNS} FROM cases
         WHERE (COALESCE(customer_id, ''), target_type, lower(target_value), category) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))
           AND closed_at IS NULL
         ORDER BY COALESCE(customer_id, '') COLLATE "C", target_type COLLATE "C", lower(target_value) COLLATE "C", category COLLATE "C" FOR UPDATE`,
        keyCols(want),
      );
      const quiet: string[] = [];
      for (const row of res.rows) {
        if (row.status === 'open' && now.getTime() - row.last_seen.getTime() > this.s.joinWindowSec * 1000) quiet.push(row.id);
        else rows.set(keyOf(row), row);
      }
      if (quiet.length) {
        await db.query(`UPDATE cases SET closed_at = $2, status = 'closed', outcome = 'quiet' WHERE id = ANY($1::bigint[])`, [quiet, now]);
        for (const id of quiet) events.push({ caseId: id, kind: 'closed', detail: { outcome: 'quiet', why: 'no report within cases.joinWindowSec' } });
      }
    };
    await lockOpen(keys);
    for (let round = 0; round < 3; round++) {
      const missing = keys.filter((k) => !rows.has(k));
      if (!missing.length) break;
      const ls = missing.map((k) => links.get(k)!);
      const firstSeen = (k: string): string => reports.filter((r) => r.links.some((l) => l.key === k)).map((r) => r.receivedAt).sort()[0]!;
      const res = await db.query<CaseRow>(
        `INSERT INTO cases (ref, customer_id, target_type, target_value, category, policy, status, priority, first_seen, last_seen, opened_at)
         SELECT $7 || '-' || to_char($8::timestamptz, 'YYYY') || '-' || lpad(nextval('case_number_seq')::text, 6, '0'),
                NULLIF(cu, ''), tt, tv, ca, po, st, pr, fs, fs, $8
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $9::text[], $10::text[]) AS x(cu, tt, tv, ca, po, fs, st, pr)
         ORDER BY cu COLLATE "C", tt COLLATE "C", lower(tv) COLLATE "C", ca COLLATE "C"
         ON CONFLICT ((COALESCE(customer_id, '')), target_type, (lower(target_value)), category) WHERE closed_at IS NULL DO NOTHING
         RETURNING ${CASE_COLUMNS}`,
        [
          ls.map((l) => l.customerId ?? ''), ls.map((l) => l.targetType), ls.map((l) => l.targetValue), ls.map((l) => l.category), ls.map((l) => l.policy),
          missing.map(firstSeen), this.s.refPrefix, now,
          // Most cases keep the status and priority they open with: written
          // now, the update below changes no indexed column (a HOT update).
          ls.map((l) => (l.policy === 'notify' ? 'open' : 'awaiting_review')),
          missing.map((k) => reports.filter((r) => r.links.some((l) => l.key === k)).map((r) => r.priority).reduce(higher)),
        ],
      );
      for (const row of res.rows) rows.set(keyOf(row), row), created.add(keyOf(row));
      // Another worker opened some of them meanwhile: join its cases.
      if (res.rows.length < missing.length) await lockOpen(missing.filter((k) => !rows.has(k)));
    }
    const unresolved = keys.filter((k) => !rows.has(k));
    if (unresolved.length) throw Object.assign(new Error(`could not open or lock cases ${unresolved.join(', ')}`), { code: '40001' });

    // Distinct reporters.
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
      }
    }

    // Each case's new state, decided by the pure rules under the row locks.
    const changes = new Map<string, ReturnType<typeof evaluateCase> & { row: CaseRow; state: CaseState; noticeReports: string[]; order: string[]; why: string[] }>();
    for (const key of keys) {
      const row = rows.get(key)!;
      const mine = reports.filter((r) => r.links.some((l) => l.key === key));
      const times = mine.map((r) => Date.parse(r.receivedAt));
      const state: CaseState = {
        ...headOf(row, created.has(key)),
        trusted: row.trusted,
        reportCount: row.report_count + mine.length,
        reporterCount: row.reporter_count + (newReporters.get(row.id) ?? 0),
        maxFromOne: Math.max(row.max_from_one, maxFromOne.get(row.id) ?? 0),
        noticesSent: row.notices_sent,
        notifiedAt: row.notified_at,
        notifiedReports: row.notified_reports,
        escalations: row.escalations,
        escalatedAt: row.escalated_at,
      };
      const inc: Incoming = {
        priority: mine.map((r) => r.priority).reduce(higher),
        trusted: mine.some((r) => r.trusted),
        escalate: mine.find((r) => r.escalate)?.escalate ?? null,
      };
      const change = evaluateCase(state, inc, this.s, now);
      // With noticeUpdateIntervalSec 0 every report is a notice (an update each), even in one batch.
      const noticeReports = change.notice ? (this.s.noticeUpdateIntervalSec === 0 ? mine.map((r) => r.messageKey) : [mine[0]!.messageKey]) : [];
      changes.set(key, { ...change, row, state, noticeReports, order: mine.map((r) => r.messageKey), why: mine[0]!.why });
      row.first_seen = new Date(Math.min(row.first_seen.getTime(), ...times));
      row.last_seen = new Date(Math.max(row.last_seen.getTime(), ...times));
    }
    const cs = [...changes.values()];
    // Campaigns before the update, so a case takes its campaign in the same row version.
    const campaignOf = reports.some((r) => r.signals.length) ? await this.joinCampaigns(db, reports, (k) => rows.get(k)!, events) : new Map<string, string>();
    // Graduated response: a case's first notice takes the rung its customer's
    // history calls for; a rung that needs a person holds the case for review.
    const rungOf = new Map<string, RungChoice>();
    if (this.s.ladder.enabled) {
      const firsts = [...changes.values()].filter((c) => c.notice?.seq === 1 && c.row.customer_id);
      const prior = await priorIncidents(db, [...new Set(firsts.map((c) => c.row.customer_id!))], now, this.s.ladder.windowDays, [...changes.values()].map((c) => c.row.id));
      for (const c of firsts) {
        const choice = chooseRung(incidentsBefore(prior, c.row.customer_id!, campaignOf.get(c.row.id) ?? c.row.campaign_id), c.row.category, c.row.flags ?? [], this.s.ladder);
        rungOf.set(c.row.id, choice);
        if (!choice.rung.confirm) {
          // The rung goes with the notice it chose, in the same history line.
          // (Why this rung only when it is not simply the first one.)
          const ladder = { rung: choice.rung.name, deadlineDays: choice.rung.deadlineDays, ...(choice.index > 0 || choice.why.includes(',') ? { ladder: choice.why } : {}) };
          c.events = c.events.map((e) => (e.kind === 'notice' ? { kind: 'notice', detail: { ...e.detail, ...ladder } } : e));
          continue;
        }
        c.notice = null;
        c.noticeReports = [];
        c.status = 'awaiting_review';
        c.events = [...c.events.filter((e) => e.kind !== 'notice'), { kind: 'ladder', detail: { rung: choice.rung.name, why: choice.why, held: 'a person must confirm' } }];
        if (!c.escalation && c.state.escalations === 0) c.escalation = { seq: 1, reason: `${choice.rung.name} for customer ${c.row.customer_id} (${choice.why}): a person must confirm` };
      }
    }
    for (const c of changes.values()) {
      // A case opened with its first notice records both in one history line
      // (most cases: a row fewer per case).
      const notice = c.state.created ? c.events.find((e) => e.kind === 'notice') : undefined;
      for (const e of c.events) {
        if (e === notice) continue;
        const detail = e.kind === 'opened' ? { ...e.detail, why: c.why, ...(notice ? { notice: notice.detail } : {}) } : e.detail;
        events.push({ caseId: c.row.id, kind: e.kind, detail });
      }
    }
    await db.query(
      `UPDATE cases SET campaign_id = COALESCE(x.cp, campaign_id), report_count = x.rc, reporter_count = x.rp, max_from_one = x.mo, first_seen = x.fs, last_seen = x.ls,
         priority = x.pr, status = x.st, trusted = x.tr,
         notices_sent = notices_sent + x.nn,
         notified_at = CASE WHEN x.nn > 0 THEN $13::timestamptz ELSE notified_at END,
         notified_reports = CASE WHEN x.nn > 0 THEN x.rc ELSE notified_reports END,
         escalations = CASE WHEN x.es THEN escalations + 1 ELSE escalations END,
         escalated_at = CASE WHEN x.es THEN $13::timestamptz ELSE escalated_at END,
         reason = COALESCE(reason, x.re),
         rung = COALESCE(x.rg, rung), deadline_at = COALESCE(x.dl, deadline_at)
       FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::boolean[], $10::int[], $11::boolean[], $12::text[], $14::bigint[], $15::text[], $16::timestamptz[])
         AS x(id, rc, rp, mo, fs, ls, pr, st, tr, nn, es, re, cp, rg, dl)
       WHERE cases.id = x.id`,
      [
        cs.map((c) => c.row.id),
        cs.map((c) => c.state.reportCount),
        cs.map((c) => c.state.reporterCount),
        cs.map((c) => c.state.maxFromOne),
        cs.map((c) => c.row.first_seen),
        cs.map((c) => c.row.last_seen),
        cs.map((c) => c.priority),
        cs.map((c) => c.status),
        cs.map((c) => c.trusted),
        cs.map((c) => c.noticeReports.length),
        cs.map((c) => !!c.escalation),
        cs.map((c) => c.escalation?.reason ?? null),
        now,
        cs.map((c) => campaignOf.get(c.row.id) ?? null),
        cs.map((c) => (c.notice ? rungOf.get(c.row.id)?.rung.name ?? null : null)),
        cs.map((c) => {
          const r = c.notice ? rungOf.get(c.row.id) : undefined;
          return r ? new Date(now.getTime() + r.rung.deadlineDays * 86_400_000) : null;
        }),
      ],
    );


    // Each notice and escalation goes with the first report of the batch that set it off.
    const outcomes: ReportOutcome[] = [];
    const claimed = new Set<string>();
    for (const r of reports) {
      const mine = r.links.map((l) => changes.get(l.key)!);
      const notices: ReportOutcome['notices'] = [];
      const esc: { seq: number; caseIds: string[]; reasons: string[] } = { seq: 0, caseIds: [], reasons: [] };
      for (const c of mine) {
        const nth = c.notice ? c.noticeReports.indexOf(r.messageKey) : -1;
        const total = c.state.reportCount - c.order.length + c.order.indexOf(r.messageKey) + 1;
        const rung = rungOf.get(c.row.id)?.index;
        if (nth === 0) notices.push({ caseId: c.row.id, seq: c.notice!.seq, newReports: c.noticeReports.length > 1 ? 1 : c.notice!.newReports, total: c.noticeReports.length > 1 ? total : c.state.reportCount, ...(rung !== undefined ? { rung } : {}) });
        else if (nth > 0) notices.push({ caseId: c.row.id, seq: c.notice!.seq + nth, newReports: 1, total });
        if (c.escalation && !claimed.has(`e${c.row.id}`)) {
          claimed.add(`e${c.row.id}`);
          esc.seq = Math.max(esc.seq, c.escalation.seq);
          esc.caseIds.push(c.row.id);
          if (!esc.reasons.includes(c.escalation.reason)) esc.reasons.push(c.escalation.reason);
        }
      }
      // Each report sees the case as it was once it joined: the Nth report of a batch, N more than before.
      const cases = mine.map((c) =>
        summary(
          {
            ...c.row,
            priority: c.priority,
            status: c.status,
            report_count: c.state.reportCount - c.order.length + c.order.indexOf(r.messageKey) + 1,
            reporter_count: c.state.reporterCount,
            campaign_id: campaignOf.get(c.row.id) ?? c.row.campaign_id,
          },
          c.state.created && c.order.indexOf(r.messageKey) === 0,
        ),
      );
      outcomes.push({ messageKey: r.messageKey, replay: false, cases, notices, escalation: esc.seq ? esc : null });
    }

    if (events.length) {
      await db.query(
        `INSERT INTO case_events (case_id, at, kind, detail) SELECT c, $4, k, d FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) AS x(c, k, d)`,
        [events.map((e) => e.caseId), events.map((e) => e.kind), events.map((e) => JSON.stringify(e.detail)), now],
      );
    }
    const effects = outcomes.map((o): Effects | null =>
      o.notices.length || o.escalation
        ? {
            ...(o.notices.length ? { n: o.notices.map((n): [string, number, number, number?, number?] => [n.caseId, n.seq, n.newReports, n.total, n.rung]) } : {}),
            ...(o.escalation ? { e: { seq: o.escalation.seq, c: o.escalation.caseIds, r: o.escalation.reasons } } : {}),
          }
        : null,
    );
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
        outcomes.map((o) => JSON.stringify(o.cases.map((c) => c.id))),
        effects.map((e) => (e ? JSON.stringify(e) : null)),
      ],
    );
    if ((res.rowCount ?? 0) < reports.length) throw Object.assign(new Error('a report was assigned concurrently; retrying as a replay'), { code: '40001' });
    return outcomes;
  }

  /**
   * Links the cases of spam reports that share a signal into one campaign.
   * Signals are locked in order; reports of the batch that share a signal
   * are grouped first; campaigns found to overlap are merged into the oldest.
   */
  private async joinCampaigns(
    db: pg.PoolClient,
    reports: ReportInput[],
    caseRow: (key: string) => CaseRow,
    events: Array<{ caseId: string; kind: string; detail: Record<string, unknown> }>,
  ): Promise<Map<string, string>> {
    const spam = reports.filter((r) => r.signals.length);
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

    // Union-find over the batch: reports sharing a signal are one group.
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(x, r);
      return r;
    };
    for (const s of signals) parent.set(s, s);
    for (const r of spam) for (const s of r.signals.slice(1)) parent.set(find(s), find(r.signals[0]!));
    const groups = new Map<string, { signals: Set<string>; caseIds: Set<string>; existing: Set<string> }>();
    for (const r of spam) {
      const g = groups.get(find(r.signals[0]!)) ?? { signals: new Set(), caseIds: new Set(), existing: new Set() };
      groups.set(find(r.signals[0]!), g);
      for (const s of r.signals) {
        g.signals.add(s);
        const root = rootOfSignal.get(s);
        if (root) g.existing.add(root);
      }
      for (const l of r.links) {
        const row = caseRow(l.key);
        g.caseIds.add(row.id);
        if (row.campaign_id) g.existing.add(row.campaign_id);
      }
    }
    const list = [...groups.values()];
    const needNew = list.filter((g) => !g.existing.size);
    if (needNew.length) {
      const res = await db.query<{ id: string }>(`INSERT INTO campaigns (created_at) SELECT now() FROM generate_series(1, $1::int) RETURNING id`, [needNew.length]);
      needNew.forEach((g, i) => g.existing.add(res.rows[i]!.id));
    }
    const out = new Map<string, string>();
    const sigs: string[] = [];
    const sigRoots: string[] = [];
    const caseIds: string[] = [];
    const caseRoots: string[] = [];
    for (const g of list) {
      const ids = [...g.existing].sort((a, b) => Number(a) - Number(b));
      const root = ids[0]!;
      const merged = ids.slice(1);
      if (merged.length) {
        // Campaigns found to overlap: the newer ones point to the oldest.
        await db.query(`UPDATE campaigns SET merged_into = $1 WHERE id = ANY($2::bigint[])`, [root, merged]);
        await db.query(`UPDATE campaign_signals SET campaign_id = $1 WHERE campaign_id = ANY($2::bigint[])`, [root, merged]);
        const moved = await db.query<{ id: string }>(`UPDATE cases SET campaign_id = $1 WHERE campaign_id = ANY($2::bigint[]) RETURNING id`, [root, merged]);
        for (const m of moved.rows) {
          out.set(m.id, root);
          events.push({ caseId: m.id, kind: 'campaign', detail: { merged: merged, into: root } });
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
    // The batch's own cases take their campaign in the caller's update.
    for (let i = 0; i < caseIds.length; i++) if (!out.has(caseIds[i]!)) out.set(caseIds[i]!, caseRoots[i]!);
    return out;
  }

  private async replay(db: pg.PoolClient, reports: ReportInput[]): Promise<ReportOutcome[]> {
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
      const ef = row?.effects ?? {};
      return {
        messageKey: r.messageKey,
        replay: true,
        cases: (row?.case_ids ?? []).map((id) => byId.get(id)).filter((c): c is CaseRow => !!c).map((c) => summary(c, false)),
        notices: (ef.n ?? []).map(([caseId, seq, newReports, total, rung]) => ({ caseId, seq, newReports, ...(total ? { total } : {}), ...(rung !== undefined && rung !== null ? { rung } : {}) })),
        escalation: ef.e ? { seq: ef.e.seq, caseIds: ef.e.c, reasons: ef.e.r } : null,
      };
    });
  }

  /** A case by reference, with what a reply needs to find its place. */
  async caseByRef(ref: string): Promise<{ id: string; ref: string; customerId: string | null; link: CaseLink; status: string; closed: boolean } | null> {
    const r = (await this.pool.query(`SELECT id, ref, customer_id, target_type, target_value, category, policy, status, closed_at FROM cases WHERE ref = $1`, [ref])).rows[0];
    if (!r) return null;
    return {
      id: r.id,
      ref: r.ref,
      customerId: r.customer_id,
      status: r.status,
      closed: !!r.closed_at,
      link: { key: caseKey(r.customer_id, r.target_type, r.target_value, r.category), customerId: r.customer_id, targetType: r.target_type, targetValue: r.target_value, category: r.category, policy: r.policy },
    };
  }

  /**
   * The customer answered a case: it becomes "customer answered" (if it was
   * open or waiting for them) and the history says so, once per message.
   */
  async customerReplied(caseId: string, messageKey: string, text: string, verifiedBy: string): Promise<boolean> {
    const res = await this.pool.query(
      `WITH e AS (
         INSERT INTO case_events (case_id, kind, detail)
         SELECT $1, 'customer-reply', jsonb_build_object('message', $2::text, 'text', $3::text, 'verified', $4::text)
         WHERE NOT EXISTS (SELECT 1 FROM case_events WHERE case_id = $1 AND kind = 'customer-reply' AND detail->>'message' = $2)
         RETURNING case_id)
       UPDATE cases SET status = 'customer_answered' FROM e WHERE cases.id = e.case_id AND cases.status IN ('open', 'waiting_customer') RETURNING cases.id`,
      [caseId, messageKey, text, verifiedBy],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /**
   * A reply presenting itself as the customer's that could not be verified
   * (src/cases/reply-trust.ts): recorded once per message with its text and
   * why, shown to operators as unverified; the case's status stays.
   */
  async unverifiedReply(caseId: string, messageKey: string, text: string, why: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO case_events (case_id, kind, detail)
       SELECT $1, 'unverified-reply', jsonb_build_object('message', $2::text, 'text', $3::text, 'why', $4::text)
       WHERE NOT EXISTS (SELECT 1 FROM case_events WHERE case_id = $1 AND kind = 'unverified-reply' AND detail->>'message' = $2)`,
      [caseId, messageKey, text, why],
    );
  }

  /** An automatic answer (out of office, bounce) to a case's mail: recorded once, and it changes nothing. */
  async automaticReply(caseId: string, messageKey: string, kind: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO case_events (case_id, kind, detail)
       SELECT $1, 'automatic-reply', jsonb_build_object('message', $2::text, 'kind', $3::text)
       WHERE NOT EXISTS (SELECT 1 FROM case_events WHERE case_id = $1 AND kind = 'automatic-reply' AND detail->>'message' = $2)`,
      [caseId, messageKey, kind],
    );
  }

  /**
   * Appends to a case's history (mail held back or refused, an operator's
   * action). With `onceForMail`, only if the case has no line of that kind
   * for that mail yet (a retry writing what an outage kept it from writing).
   */
  async addEvent(ref: string, event: { kind: string } & Record<string, unknown>, actor: string | null = null, onceForMail?: string): Promise<void> {
    const { kind, ...detail } = event;
    const once = onceForMail ? ` AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id AND e.kind = $3 AND e.detail->>'mail' = $5)` : '';
    await this.pool.query(`INSERT INTO case_events (case_id, actor, kind, detail) SELECT id, $2, $3, $4 FROM cases WHERE ref = $1${once}`, [ref, actor, kind, JSON.stringify(detail), ...(onceForMail ? [onceForMail] : [])]);
  }

  /**
   * A first notice the relay accepted: its line in the case's history
   * (addEvent's, with `onceForMail`), and the notice clock of every case it
   * covers stopped, in one statement (one commit per notice, not two).
   */
  async firstNoticeSent(ref: string, event: { kind: string } & Record<string, unknown>, covers: readonly string[], onceForMail?: string): Promise<void> {
    const { kind, ...detail } = event;
    const once = onceForMail ? ` AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id AND e.kind = $2 AND e.detail->>'mail' = $5)` : '';
    await this.pool.query(
      `WITH e AS (INSERT INTO case_events (case_id, actor, kind, detail) SELECT id, NULL, $2, $3 FROM cases WHERE ref = $1${once} RETURNING case_id)
       UPDATE cases SET first_notice_at = now() WHERE ref = ANY($4::text[]) AND first_notice_at IS NULL`,
      [ref, kind, JSON.stringify(detail), covers, ...(onceForMail ? [onceForMail] : [])],
    );
  }

  /** Closes a case with an outcome, in its history. */
  async close(ref: string, outcome: string, actor: string, at = new Date()): Promise<boolean> {
    const res = await this.pool.query(
      `WITH c AS (UPDATE cases SET status = 'closed', closed_at = $3, outcome = $2 WHERE ref = $1 AND closed_at IS NULL RETURNING id)
       INSERT INTO case_events (case_id, at, actor, kind, detail) SELECT id, $3, $4, 'closed', jsonb_build_object('outcome', $2::text) FROM c`,
      [ref, outcome, at, actor],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /**
   * Closes open cases (not those waiting for a person) that had no report
   * within cases.joinWindowSec, with outcome "quiet", so retention can run
   * its course. Returns how many.
   */
  async closeQuiet(now = new Date()): Promise<number> {
    const res = await this.pool.query(
      `WITH c AS (UPDATE cases SET status = 'closed', closed_at = $1, outcome = 'quiet'
                  WHERE closed_at IS NULL AND status = 'open' AND last_seen < $1::timestamptz - make_interval(secs => $2) RETURNING id)
       INSERT INTO case_events (case_id, at, actor, kind, detail)
       SELECT id, $1, NULL, 'closed', '{"outcome":"quiet","why":"no report within cases.joinWindowSec"}'::jsonb FROM c`,
      [now, this.s.joinWindowSec],
    );
    return res.rowCount ?? 0;
  }

  /**
   * Retention: erases the address and name of every reporter whose cases all
   * closed more than `days` ago. The reporter row stays (with a random
   * identity), so counts and history still add up. Returns how many.
   */
  async purgeReporters(days: number, now = new Date()): Promise<number> {
    const res = await this.pool.query(
      `UPDATE reporters r SET address = NULL, name = NULL, address_hash = sha256(convert_to('erased:' || r.id || ':' || $3::text, 'UTF8')), erased_at = $2
       WHERE r.erased_at IS NULL AND r.last_seen < $2::timestamptz - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM case_reporters cr JOIN cases c ON c.id = cr.case_id
                         WHERE cr.reporter_id = r.id AND (c.closed_at IS NULL OR c.closed_at > $2::timestamptz - make_interval(days => $1)))`,
      [days, now, randomBytes(16).toString('hex')],
    );
    return res.rowCount ?? 0;
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
