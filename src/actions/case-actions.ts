import type pg from 'pg';
import { nextCaseRefSql } from '../cases/case-ref.ts';
import { keyUuid } from '../cases/report-key.ts';
import { priorIncidents } from '../cases/prior-incidents.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Config } from '../config/schema.ts';
import { chooseRung, incidentsBefore, rungDeadline } from '../cases/ladder.ts';
import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { MailIntent } from '../notify/mail-intent.ts';
import { mailId } from '../notify/plan-mails.ts';
import type { LockedCase } from './locked-case.ts';
import { learnFromCase } from '../cases/learned-rules.ts';
import { noticePolicy, type CaseTargetType, type PolicyRule } from '../cases/notice-policy.ts';
import { outcomeMails } from './outcome-mails.ts';
import { batchKey, oncePerReporter } from './bulk-resolve.ts';
import { noticeExcerpt, openingReport, releaseNotice, type NoticeEdits } from './held-notice.ts';
import { ActionError, checkStatusChange, type Resolution } from './case-status.ts';
import { type CaseFlag, type Outcome, type Restriction, type SettableStatus } from '../cases/case-vocabulary.ts';

export interface ActionDeps {
  pool: pg.Pool;
  /** The directory as it is now (customer contacts). */
  directory: () => CustomerDirectory;
  /** Queues mails for the notify worker; `jobId` makes a repeated action queue nothing new. */
  dispatch: (mails: MailIntent[], jobId: string) => Promise<void>;
  escalateTo: string;
  /** The graduated response: a released notice takes its rung (after the case's flags). */
  ladder?: Config['ladder'];
  /** How much of the complaint a released notice quotes (limits.noticeExcerptChars). */
  noticeExcerptChars?: number;
  /** cases.noticePolicy: what a confirmed target's case does next. */
  noticePolicy?: readonly PolicyRule[];
}


export interface ActionResult {
  ref: string;
  status: string;
  /** What was queued for sending, by kind. */
  mails: string[];
}

/**
 * What people do with cases, for the HTTP API and the CLI alike. Each action
 * runs in one transaction under the case's row lock (so it cannot race the
 * triage workers) and lands in the case's history with the operator's name.
 */
export class CaseActions {
  constructor(private readonly d: ActionDeps) {}

  async note(ref: string, actor: string, text: string): Promise<ActionResult> {
    if (!text.trim()) throw new ActionError('a note needs some text', 400);
    return this.tx(ref, async (db, c) => {
      await event(db, c.id, actor, 'note', { text: text.slice(0, 10_000) });
      return done(c, c.status);
    });
  }

  /**
   * Sets a case's status. Resolving it (with an outcome) tells each reporter
   * who wrote as a person the outcome, in their language, and, when action
   * was taken against a customer's content, sends the customer a statement of
   * reasons (facts, ground, automated means, how to contest); neither mail
   * names the other party.
   */
  async setStatus(ref: string, actor: string, status: SettableStatus, outcome?: Outcome, resolution: Resolution = {}): Promise<ActionResult> {
    return this.tx(ref, async (db, c) => {
      const { result, mails, n } = await this.statusIn(db, c, actor, status, outcome, resolution);
      if (mails.length) await this.d.dispatch(mails, `resolve-${c.ref}-${n}`);
      return result;
    });
  }

  /**
   * Resolves several cases at once (a campaign's), in one transaction with
   * their rows locked in id order: each case as `setStatus` would, but a
   * reporter who reported to several of them is told once, in one mail
   * naming them all (src/actions/bulk-resolve.ts). All or none.
   */
  async resolveMany(refs: readonly string[], actor: string, outcome: Outcome, resolution: Resolution = {}): Promise<ActionResult[]> {
    const wanted = [...new Set(refs)];
    return this.transaction(async (db) => {
      const rows = (await db.query<LockedCase>(`SELECT ${LOCK_COLUMNS} FROM cases WHERE ref = ANY($1::text[]) ORDER BY id FOR UPDATE`, [wanted])).rows;
      const missing = wanted.filter((r) => !rows.some((c) => c.ref === r));
      if (missing.length) throw new ActionError(`no case ${missing.join(', ')}`, 404);
      const results: ActionResult[] = [];
      const all: MailIntent[] = [];
      for (const c of rows) {
        const { result, mails } = await this.statusIn(db, c, actor, 'resolved', outcome, resolution);
        results.push(result);
        all.push(...mails);
      }
      const merged = oncePerReporter(all, wanted);
      if (merged.length) await this.d.dispatch(merged, `resolve-many-${batchKey(wanted)}`);
      return results;
    });
  }

  private async statusIn(db: pg.PoolClient, c: LockedCase, actor: string, status: SettableStatus, outcome: Outcome | undefined, resolution: Resolution): Promise<{ result: ActionResult; mails: MailIntent[]; n: number }> {
    const { reason, ground } = resolution;
    checkStatusChange(c.status, status, outcome);
    if (outcome === 'action_taken' && c.customer_id && !ground?.trim()) {
      throw new ActionError(`${c.ref}: action taken against a customer needs its ground (the law or the terms invoked) for the statement of reasons`, 400);
    }
    const closing = status === 'resolved';
    const n = closing ? Number((await db.query(`SELECT count(*) AS n FROM case_events WHERE case_id = $1 AND kind = 'status' AND detail->>'to' = 'resolved'`, [c.id])).rows[0].n) + 1 : 0;
    try {
      // A person deciding ends the review clock (resolving); sending a case back to review starts it again.
      await db.query(
        `UPDATE cases SET status = $2, outcome = $3, closed_at = CASE WHEN $4 THEN now() ELSE NULL END,
           reviewed_at = CASE WHEN $2 = 'awaiting_review' THEN NULL WHEN $4 THEN COALESCE(reviewed_at, now()) ELSE reviewed_at END WHERE id = $1`,
        [c.id, status, outcome ?? null, closing],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new ActionError('another case is open for the same customer, target and category: merge into it instead of reopening', 409);
      throw err;
    }
    // The resolution's details stay in the history: the statement-of-reasons export reads them there.
    const details = outcome === 'action_taken' ? { groundType: resolution.groundType ?? 'terms', restriction: resolution.restriction ?? defaultRestriction(c.target_type) } : {};
    await event(db, c.id, actor, 'status', { from: c.status, to: status, ...(outcome ? { outcome } : {}), ...(reason ? { reason } : {}), ...(ground ? { ground } : {}), ...details });
    if (!closing) return { result: done(c, status), mails: [], n };
    const mails = await outcomeMails(db, c, this.d.directory(), { outcome: outcome!, reason, ground, n });
    return { result: { ...done(c, status), mails: mails.map((m) => m.kind) }, mails, n };
  }

  /** Gives the case to an operator (`owner`), or to nobody (null). */
  async setOwner(ref: string, actor: string, owner: string | null): Promise<ActionResult> {
    return this.tx(ref, async (db, c) => {
      const was = (await db.query<{ owner: string | null }>(`SELECT owner FROM cases WHERE id = $1`, [c.id])).rows[0]!.owner;
      if (was === owner) return done(c, c.status);
      await db.query(`UPDATE cases SET owner = $2 WHERE id = $1`, [c.id, owner]);
      await event(db, c.id, actor, 'owner', { from: was, to: owner });
      return done(c, c.status);
    });
  }


  /**
   * Sends the held notice of a case awaiting review, and opens the case. A
   * person may add a message and trim the extract first (`edits`); the
   * history keeps what they changed.
   */
  async release(ref: string, actor: string, edits: NoticeEdits = {}): Promise<ActionResult> {
    return this.tx(ref, (db, c) => this.releaseIn(db, c, actor, edits));
  }

  private async releaseIn(db: pg.PoolClient, c: LockedCase, actor: string, edits: NoticeEdits): Promise<ActionResult> {
    const { notice, rung, seq, now, view } = await this.heldNoticeOf(db, c, edits);
    await db.query(
      `UPDATE cases SET status = 'open', released_at = $3, reviewed_at = $3, notices_sent = $2, notified_at = $3, notified_reports = report_count,
         rung = COALESCE($4, rung), deadline_at = COALESCE($5, deadline_at) WHERE id = $1`,
      [c.id, seq, now, rung?.rung.name ?? null, rung ? rungDeadline(rung.rung, now) : null],
    );
    // What the person changed, in the history: their message, and the extract if they cut it.
    const cut = edits.excerpt !== undefined && notice.excerpt !== noticeExcerpt(c, view, this.d.noticeExcerptChars ?? 0);
    const edited = { ...(notice.message ? { message: notice.message } : {}), ...(cut ? { excerpt: notice.excerpt ?? '' } : {}) };
    await event(db, c.id, actor, 'released', { seq, ...(rung ? { rung: rung.rung.name, why: rung.why } : {}), ...edited });
    await this.d.dispatch([notice], `release-${c.ref}-${seq}`);
    return { ...done(c, 'open'), mails: ['notice'] };
  }

  /**
   * The case's target is what its reports are about (it was only named in
   * them): the category's notice policy applies from now on, so a notify
   * case's held notice goes out at once; a review case keeps it held for a
   * person to release. The desk learns it for the same senders' reports.
   */
  async confirmTarget(ref: string, actor: string): Promise<ActionResult & { learned: number }> {
    return this.tx(ref, async (db, c) => {
      if (c.policy !== 'confirm') throw new ActionError(`${c.ref}: its target is not waiting to be confirmed`, 409);
      const policy = noticePolicy(c.category, c.target_type as CaseTargetType, this.d.noticePolicy ?? []);
      await db.query(`UPDATE cases SET policy = $2 WHERE id = $1`, [c.id, policy]);
      const learned = await learnFromCase(db, c, 'confirm', actor);
      await event(db, c.id, actor, 'target-confirmed', { target: c.target_value, policy, learned: learned.map((r) => r.id) });
      const held = c.status === 'awaiting_review' && c.notices_sent === 0 && c.customer_id !== null;
      const result = policy === 'notify' && held ? await this.releaseIn(db, { ...c, policy }, actor, {}) : done(c, c.status);
      return { ...result, learned: learned.length };
    });
  }

  /**
   * The case's target is not what its reports are about (the genuine site a
   * phishing page imitates, a CERT's own pages): the case is resolved with
   * no action and its held notice never goes; the desk learns it for the
   * same senders' later reports of the same form (never for anyone else's).
   */
  async dismissTarget(ref: string, actor: string, reason: string): Promise<ActionResult & { learned: number }> {
    return this.tx(ref, async (db, c) => {
      if (c.closed_at) throw new ActionError(`${c.ref} is ${c.status} already`, 409);
      if (c.target_type === 'none') throw new ActionError(`${c.ref} has no target to dismiss`, 409);
      const learned = await learnFromCase(db, c, 'dismiss', actor);
      await db.query(`UPDATE cases SET status = 'resolved', outcome = 'no_action', closed_at = now(), reviewed_at = COALESCE(reviewed_at, now()) WHERE id = $1`, [c.id]);
      const why = reason.trim() || 'not what the report is about';
      await event(db, c.id, actor, 'target-dismissed', { target: c.target_value, reason: why, withdrawn: c.notices_sent === 0, learned: learned.map((r) => r.id) });
      await event(db, c.id, actor, 'status', { from: c.status, to: 'resolved', outcome: 'no_action', reason: `target dismissed: ${why}` });
      return { ...done(c, 'resolved'), learned: learned.length };
    });
  }

  /** The notice a case awaiting review holds, exactly as a release (with these edits) would send it. Changes nothing. */
  async heldNotice(ref: string, edits: NoticeEdits = {}): Promise<MailIntent> {
    return this.tx(ref, async (db, c) => (await this.heldNoticeOf(db, c, edits)).notice);
  }

  private async heldNoticeOf(db: pg.PoolClient, c: LockedCase, edits: NoticeEdits) {
    if (c.policy === 'never') throw new ActionError(`${c.category} cases are never notified automatically: act on it directly and resolve it`, 409);
    if (c.status !== 'awaiting_review') throw new ActionError(`only a case awaiting review can be released (this one is ${c.status})`, 409);
    if (!c.customer_id) throw new ActionError('the case has no customer to notify: resolve it (not_our_customer) or merge it', 409);
    const customer = this.d.directory().customer(c.customer_id);
    if (!customer) throw new ActionError(`customer ${c.customer_id} is no longer in the directory`, 409);
    const seq = c.notices_sent + 1;
    // The rung from the incidents before this case opened: a person
    // releasing a held last rung confirms it; flags set meanwhile (good
    // faith, compromised) step it down.
    const now = new Date();
    const ladder = this.d.ladder;
    const rung = ladder?.enabled && seq === 1
      ? chooseRung(incidentsBefore(await priorIncidents(db, [c.customer_id], c.opened_at, ladder.windowDays, [c.id], ladder.rungs[0]!.deadlineDays), c.customer_id, c.campaign_id), c.category, c.flags ?? [], ladder)
      : undefined;
    const view = await openingReport(db, c.id);
    const notice = releaseNotice(c, customer, seq, view, this.d.noticeExcerptChars ?? 0, edits, rung ? { template: rung.rung.template, name: rung.rung.name, deadlineDays: rung.rung.deadlineDays } : undefined);
    return { notice, rung, seq, now, view };
  }

  /** Keeps a case's notice held, saying why (the case stays awaiting review). */
  async withhold(ref: string, actor: string, reason: string): Promise<ActionResult> {
    if (!reason.trim()) throw new ActionError('say why the notice is withheld', 400);
    return this.tx(ref, async (db, c) => {
      if (c.status !== 'awaiting_review') throw new ActionError(`only a case awaiting review holds a notice (this one is ${c.status})`, 409);
      // A person decided: the review clock stops (the notice stays held).
      await db.query(`UPDATE cases SET reviewed_at = COALESCE(reviewed_at, now()) WHERE id = $1`, [c.id]);
      await event(db, c.id, actor, 'withheld', { reason });
      return done(c, c.status);
    });
  }

  /** Raises a case to urgent and mails desk.escalateTo. */
  async escalate(ref: string, actor: string, reason: string): Promise<ActionResult> {
    if (!reason.trim()) throw new ActionError('say why the case is escalated', 400);
    return this.tx(ref, async (db, c) => {
      const seq = c.escalations + 1;
      await db.query(`UPDATE cases SET priority = 'urgent', escalations = $2, escalated_at = now(), reason = $3 WHERE id = $1`, [c.id, seq, reason]);
      await event(db, c.id, actor, 'escalated', { seq, reason, by: 'operator' });
      if (!this.d.escalateTo) return done(c, c.status);
      const mail: MailIntent = {
        id: mailId(`${c.ref}#escalation-${seq}`, 'escalation', this.d.escalateTo),
        kind: 'escalation',
        to: this.d.escalateTo,
        language: 'en',
        caseRef: c.ref,
        category: c.category,
        priority: 'urgent',
        receivedAt: c.first_seen.toISOString(),
        automated: false,
        targets: [{ value: c.target_value, seen: [] }],
        reason: `${reason} (escalated by ${actor})`,
        cases: [{ ref: c.ref, reports: c.report_count, reporters: c.reporter_count, joined: c.report_count > 1, target: c.target_value, priority: 'urgent', status: c.status }],
      };
      await this.d.dispatch([mail], `escalate-${c.ref}-${seq}`);
      return { ...done(c, c.status), mails: ['escalation'] };
    });
  }

  async flag(ref: string, actor: string, flag: CaseFlag, on: boolean): Promise<ActionResult> {
    return this.tx(ref, async (db, c) => {
      const has = (c.flags ?? []).includes(flag);
      if (has === on) return done(c, c.status);
      await db.query(on ? `UPDATE cases SET flags = array_append(flags, $2) WHERE id = $1` : `UPDATE cases SET flags = NULLIF(array_remove(flags, $2), '{}') WHERE id = $1`, [c.id, flag]);
      await event(db, c.id, actor, 'flag', { flag, set: on });
      return done(c, c.status);
    });
  }

  /**
   * Flags (or clears) the case's reporter number `n` (R1, R2… as `cases show`
   * numbers them) as a sender of manifestly unfounded notices (DSA art. 23):
   * warned once, by mail, in their language; while flagged, their reports are
   * processed at low priority. Visible on every case of theirs; reversible.
   */
  async markReporter(ref: string, n: number, actor: string, unfounded: boolean): Promise<ActionResult> {
    return this.tx(ref, async (db, c) => {
      const rows = (await db.query<{ id: string; address: string | null; language: string | null; unfounded_at: Date | null; warned_at: Date | null }>(
        `SELECT r.id, r.address, r.language, r.unfounded_at, r.warned_at FROM case_reporters cr JOIN reporters r ON r.id = cr.reporter_id WHERE cr.case_id = $1 ORDER BY r.id FOR UPDATE OF r`,
        [c.id],
      )).rows;
      const r = rows[n - 1];
      if (!r) throw new ActionError(`case ${c.ref} has no reporter R${n} (it has ${rows.length})`, 404);
      if (!!r.unfounded_at === unfounded) return done(c, c.status);
      const warn = unfounded && !r.warned_at && !!r.address;
      await db.query(`UPDATE reporters SET unfounded_at = $2, warned_at = COALESCE(warned_at, $3) WHERE id = $1`, [r.id, unfounded ? new Date() : null, warn ? new Date() : null]);
      await event(db, c.id, actor, 'reporter-unfounded', { reporter: `R${n}`, set: unfounded, ...(warn ? { warned: true } : {}) });
      if (!warn) return done(c, c.status);
      const mail: MailIntent = {
        id: mailId(`${c.ref}#unfounded-R${n}`, 'unfounded', r.address!),
        kind: 'unfounded',
        to: r.address!,
        language: r.language === 'fr' ? 'fr' : 'en',
        caseRef: c.ref,
        category: c.category,
        priority: c.priority,
        receivedAt: c.first_seen.toISOString(),
        automated: false,
        targets: [],
      };
      await this.d.dispatch([mail], `unfounded-${c.ref}-R${n}`);
      return { ...done(c, c.status), mails: ['unfounded'] };
    });
  }

  /**
   * Moves every report of `ref` into `into` (both open) and resolves `ref` as
   * a duplicate pointing to it; counts are recomputed from the reports.
   */
  async merge(ref: string, into: string, actor: string): Promise<ActionResult> {
    if (ref === into) throw new ActionError('a case cannot be merged into itself', 400);
    return this.transaction(async (db) => {
      // Both rows locked in id order; a deadlock with a triage batch is
      // detected by PostgreSQL and the merge fails with a retryable error.
      const rows = (await db.query<LockedCase>(`SELECT ${LOCK_COLUMNS} FROM cases WHERE ref = ANY($1::text[]) ORDER BY id FOR UPDATE`, [[ref, into]])).rows;
      const from = rows.find((r) => r.ref === ref);
      const to = rows.find((r) => r.ref === into);
      if (!from || !to) throw new ActionError(`no case ${!from ? ref : into}`, 404);
      if (from.closed_at || to.closed_at) throw new ActionError('both cases must be open to merge', 409);
      await db.query(`UPDATE reports SET case_id = $2 WHERE case_id = $1`, [from.id, to.id]);
      await db.query(`UPDATE reports SET more_case_ids = array_replace(more_case_ids, $1::bigint, $2::bigint) WHERE more_case_ids @> ARRAY[$1::bigint]`, [from.id, to.id]);
      await recount(db, to.id);
      await db.query(`UPDATE cases SET first_seen = LEAST(first_seen, $2), last_seen = GREATEST(last_seen, $3) WHERE id = $1`, [to.id, from.first_seen, new Date()]);
      await db.query(`UPDATE cases SET status = 'resolved', outcome = 'duplicate', closed_at = now(), merged_into = $2 WHERE id = $1`, [from.id, to.id]);
      await event(db, from.id, actor, 'merged', { into: to.ref });
      await event(db, to.id, actor, 'merged', { from: from.ref, reports: from.report_count });
      return { ref: from.ref, status: 'resolved', mails: [] };
    });
  }

  /**
   * Moves the given reports (by message key) of `ref` into a new case about
   * `target`, a more exact address of the same customer (the split-off part
   * is about something else); both cases' counts are recomputed.
   */
  async split(ref: string, messageKeys: string[], target: string, actor: string): Promise<ActionResult & { newRef: string }> {
    if (!messageKeys.length) throw new ActionError('say which reports to split off (their message keys, from cases show)', 400);
    if (!target.trim()) throw new ActionError('say what the split-off case is about (its target)', 400);
    return this.tx(ref, async (db, c) => {
      if (c.closed_at) throw new ActionError('a closed case cannot be split', 409);
      const uuids = messageKeys.map((k) => keyUuid(k));
      const moving = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE case_id = $1 AND message_key = ANY($2::uuid[])`, [c.id, uuids])).rows[0]!.n;
      if (moving !== messageKeys.length) throw new ActionError(`${messageKeys.length - moving} of those reports are not this case's own (cases show lists them)`, 400);
      if (moving >= c.report_count) throw new ActionError('that is every report of the case: nothing would be left', 400);
      let created;
      try {
        created = (await db.query<{ id: string; ref: string }>(
          `INSERT INTO cases (ref, customer_id, target_type, target_value, category, family, policy, status, priority, first_seen, last_seen, opened_at, flags)
           SELECT ${nextCaseRefSql("split_part($2, '-', 1)", 'now()')},
                  customer_id, target_type, $3, category, family, policy, status, priority, first_seen, last_seen, now(), flags
           FROM cases WHERE id = $1 RETURNING id, ref`,
          [c.id, c.ref, target.trim()],
        )).rows[0]!;
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new ActionError(`an open case about ${target} already exists for this customer and category: merge into it instead`, 409);
        throw err;
      }
      await db.query(`UPDATE reports SET case_id = $2 WHERE case_id = $1 AND message_key = ANY($3::uuid[])`, [c.id, created.id, uuids]);
      for (const id of [c.id, created.id]) {
        await recount(db, id);
        await db.query(
          `UPDATE cases SET first_seen = COALESCE((SELECT min(received_at) FROM reports WHERE case_id = $1), first_seen),
             last_seen = COALESCE((SELECT max(received_at) FROM reports WHERE case_id = $1), last_seen) WHERE id = $1`,
          [id],
        );
      }
      await event(db, c.id, actor, 'split', { into: created.ref, reports: moving, target });
      await event(db, created.id, actor, 'split', { from: c.ref, reports: moving });
      return { ref: c.ref, status: c.status, mails: [], newRef: created.ref };
    });
  }

  /** Runs `body` with the case `ref` locked, in one transaction. */
  private async tx<T>(ref: string, body: (db: pg.PoolClient, c: LockedCase) => Promise<T>): Promise<T> {
    return this.transaction(async (db) => {
      const c = (await db.query<LockedCase>(`SELECT ${LOCK_COLUMNS} FROM cases WHERE ref = $1 FOR UPDATE`, [ref])).rows[0];
      if (!c) throw new ActionError(`no case ${ref}`, 404);
      return body(db, c);
    });
  }

  private transaction<T>(body: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.d.pool, body);
  }
}

/** A case's reporter tally and counts, from the reports it now holds (after reports moved in or out). */
async function recount(db: pg.PoolClient, caseId: string): Promise<void> {
  await db.query(`DELETE FROM case_reporters WHERE case_id = $1`, [caseId]);
  await db.query(
    `INSERT INTO case_reporters (case_id, reporter_id, reports)
     SELECT $1, reporter_id, count(*) FROM reports WHERE (case_id = $1 OR more_case_ids @> ARRAY[$1::bigint]) AND reporter_id IS NOT NULL GROUP BY reporter_id`,
    [caseId],
  );
  await db.query(
    `UPDATE cases SET report_count = (SELECT count(*) FROM reports WHERE case_id = $1 OR more_case_ids @> ARRAY[$1::bigint]),
       reporter_count = (SELECT count(*) FROM case_reporters WHERE case_id = $1),
       max_from_one = (SELECT COALESCE(max(reports), 0) FROM case_reporters WHERE case_id = $1)
     WHERE id = $1`,
    [caseId],
  );
}

const LOCK_COLUMNS = `id, ref, status, policy, priority, category, customer_id, target_type, target_value, report_count, reporter_count,
  notices_sent, escalations, flags, campaign_id, first_seen, opened_at, closed_at`;

/** Without a word from the operator: an account is suspended, content is disabled. */
const defaultRestriction = (targetType: string): Restriction => (targetType === 'account' ? 'account_suspended' : 'content_disabled');

const done = (c: LockedCase, status: string): ActionResult => ({ ref: c.ref, status, mails: [] });

async function event(db: pg.PoolClient, caseId: string, actor: string, kind: string, detail: Record<string, unknown>): Promise<void> {
  await db.query(`INSERT INTO case_events (case_id, actor, kind, detail) VALUES ($1, $2, $3, $4)`, [caseId, actor, kind, JSON.stringify(detail)]);
}
