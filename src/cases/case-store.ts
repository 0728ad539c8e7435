import type pg from 'pg';
import { assignFreshReports, replayReports, type AssignSettings } from './assign-reports.ts';
import type { ReportOutcome } from './plan-assignment.ts';
import { randomBytes } from 'node:crypto';
import { caseKey, type CaseLink, type ReportInput } from './plan-report.ts';
import { keyUuid } from './report-key.ts';
import { withTransaction } from '../db/transaction.ts';
import { recordMail, type ThreadMail } from './mail-thread.ts';


const RETRYABLE = new Set(['40P01', '40001']);

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
    private readonly s: AssignSettings,
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
    if (fresh.length) for (const o of await assignFreshReports(db, fresh, this.s, now)) outcomes.set(o.messageKey, o);
    if (replays.length) for (const o of await replayReports(db, replays)) outcomes.set(o.messageKey, o);
    return input.map((r) => outcomes.get(r.messageKey)!);
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

  /** A mail of the case as composed, and what became of it: the case's thread (src/cases/mail-thread.ts). */
  async recordMail(mail: ThreadMail): Promise<void> {
    await recordMail(this.pool, mail);
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

  /**
   * Retention of evidence: the report as received (raw message, text, its
   * search words) of every report whose cases all closed more than `days`
   * ago, and the bodies of the mails to its reporters, with the reporters'
   * identity (purgeReporters). The rows stay, marked erased, so counts and
   * the thread still add up. Returns how many reports.
   */
  async purgeEvidence(days: number, now = new Date()): Promise<number> {
    const closedBefore = `$2::timestamptz - make_interval(days => $1)`;
    const res = await this.pool.query(
      `UPDATE report_evidence e SET raw_gz = NULL, view_gz = NULL, search = NULL, erased_at = $2
         FROM reports r
        WHERE e.message_key = r.message_key AND e.erased_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM cases c WHERE (c.id = r.case_id OR c.id = ANY(r.more_case_ids)) AND (c.closed_at IS NULL OR c.closed_at > ${closedBefore}))`,
      [days, now],
    );
    await this.pool.query(
      `UPDATE case_mails m SET body_gz = NULL
        WHERE m.party = 'reporter' AND m.body_gz IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM cases c WHERE (c.id = m.case_id OR c.id = ANY(m.more_case_ids)) AND (c.closed_at IS NULL OR c.closed_at > ${closedBefore}))`,
      [days, now],
    );
    return res.rowCount ?? 0;
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
