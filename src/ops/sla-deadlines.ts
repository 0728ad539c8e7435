import type pg from 'pg';
import type { Config } from '../config/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Logger } from '../log.ts';
import type { DeadlineOf } from '../cases/stored-deadline.ts';
import { caseClocks, slaCalendar } from './sla.ts';

/**
 * Re-derives the stored deadline (sla_due_at, sla_warn_at, sla_clock) of
 * open cases marked stale by the store's trigger (a change of status,
 * priority, category, policy, notice or review time, pause: migration 010),
 * at most `limit` at a time, rows another process is re-deriving skipped
 * (or, with `wait`, waited for: a list that must be exact reads what that
 * process wrote).
 * Returns how many were written. Cheap when nothing is stale (a partial
 * index holds only the stale rows).
 */
/** The stored deadline of a case under this SLA policy: the first of its running clocks (caseClocks). */
export function deadlineOf(sla: Config['sla']): DeadlineOf {
  const calendar = slaCalendar(sla);
  return (c) => {
    const first = caseClocks(c, sla, calendar)[0];
    return first ? { clock: first.clock, dueAt: first.dueAt, warnAt: first.warnAt } : null;
  };
}

export async function refreshDeadlines(pool: pg.Pool, sla: Config['sla'], limit = 2000, o: { wait?: boolean } = {}): Promise<number> {
  const derive = deadlineOf(sla);
  return withTransaction(pool, async (db) => {
    const res = await db.query(
      `SELECT id, ref, status, priority, category, policy, customer_id, notices_sent, first_notice_at, reviewed_at, opened_at, COALESCE(paused_sec, 0) AS paused_sec
         FROM cases WHERE sla_stale AND closed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE${o.wait ? '' : ' SKIP LOCKED'}`,
      [limit],
    );
    if (!res.rows.length) return 0;
    const due: Array<Date | null> = [];
    const warn: Array<Date | null> = [];
    const clock: Array<string | null> = [];
    for (const r of res.rows) {
      const first = derive({ ref: r.ref, status: r.status, priority: r.priority, category: r.category, policy: r.policy, customerId: r.customer_id, noticesSent: r.notices_sent, firstNoticeAt: r.first_notice_at, reviewedAt: r.reviewed_at, openedAt: r.opened_at, pausedSec: r.paused_sec });
      due.push(first?.dueAt ?? null);
      warn.push(first?.warnAt ?? null);
      clock.push(first?.clock ?? null);
    }
    await db.query(
      `UPDATE cases SET sla_due_at = x.d, sla_warn_at = x.w, sla_clock = sla_clock_code(x.k), sla_stale = false
         FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::text[]) AS x(id, d, w, k) WHERE cases.id = x.id`,
      [res.rows.map((r) => r.id), due, warn, clock],
    );
    return res.rows.length;
  });
}

/** Refreshes until nothing is stale (a bounded number of rounds); `wait`: for a list that must be exact now. */
export async function refreshAllDeadlines(pool: pg.Pool, sla: Config['sla'], rounds = 50, o: { wait?: boolean } = {}): Promise<number> {
  let n = 0;
  for (let i = 0; i < rounds; i++) {
    const done = await refreshDeadlines(pool, sla, 2000, o);
    n += done;
    if (done === 0) break;
  }
  return n;
}

/** After a change of the SLA policy: every open case's deadline derived again. Returns how many. */
export async function rederiveDeadlines(pool: pg.Pool, sla: Config['sla']): Promise<number> {
  await pool.query(`UPDATE cases SET sla_stale = true WHERE closed_at IS NULL AND NOT sla_stale`);
  return refreshAllDeadlines(pool, sla, 1_000_000);
}

/**
 * Keeps stored deadlines current in a triage process: stale rows are
 * re-derived every `everyMs` (the API also does so before each list, so a
 * list never waits for this). An outage of the store is logged once per
 * outage, not per round.
 */
export function startDeadlineRefresher(pool: pg.Pool, sla: Config['sla'], everyMs: number, logger: Logger): { close(): void } {
  let running = false;
  let failing = false;
  const round = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      await refreshAllDeadlines(pool, sla, 5);
      if (failing) logger.info('case deadlines re-derived again');
      failing = false;
    } catch (err) {
      if (!failing) logger.warn({ err }, 'case deadlines could not be re-derived; retried every round');
      failing = true;
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void round(), everyMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
