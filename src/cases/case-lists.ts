import { createHash } from 'node:crypto';
import type pg from 'pg';
import { FINISHED_STATUSES } from './case-vocabulary.ts';

/** A case in a list, with its stored nearest deadline. */
export interface ListedCase {
  ref: string;
  status: string;
  priority: string;
  category: string;
  customer: string | null;
  target: string;
  targetType: string;
  reports: number;
  reporters: number;
  openedAt: string;
  lastSeen: string;
  closedAt: string | null;
  outcome: string | null;
  /** The operator working it (null: unassigned). */
  owner: string | null;
  /** The running clock that falls due first, and when (null: none runs). */
  slaClock: string | null;
  slaDueAt: string | null;
  slaWarnAt: string | null;
}

export interface ListFilter {
  status?: string;
  priority?: string;
  category?: string;
  /** A customer id, or "-" for cases without one. */
  customer?: string;
  campaign?: string;
  /** Only cases whose nearest clock ran out (breached), or is past its warning (due). */
  due?: 'breached' | 'due';
  /** An operator's cases, or "-" for the unassigned. */
  owner?: string;
}

export interface ListPage {
  cases: ListedCase[];
  /** How many match, counted up to COUNT_CAP (then `more` is true). */
  total: number;
  more: boolean;
  /** The cursor of the next page, or null on the last. */
  next: string | null;
}

/** Counts stop here: "1,000+" is all a person needs, and counting further costs every page. */
export const COUNT_CAP = 1_000;

const COLUMNS = `c.id, c.ref, c.status, c.priority, c.category, c.customer_id AS customer, c.target_value AS target, c.target_type AS "targetType",
  c.report_count AS reports, c.reporter_count AS reporters, c.opened_at AS "openedAt", c.last_seen AS "lastSeen", c.closed_at AS "closedAt", c.outcome, c.owner,
  sla_clock_name(c.sla_clock) AS "slaClock", c.sla_due_at AS "slaDueAt", c.sla_warn_at AS "slaWarnAt"`;

type Cursor = [string | null, string];
const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(s: string | undefined): Cursor | null {
  if (!s) return null;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && (v[0] === null || (typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])))) && typeof v[1] === 'string' && /^\d{1,19}$/.test(v[1])) return v as Cursor;
  } catch {
    // a cursor not of ours: treated as none below
  }
  throw Object.assign(new Error('that page cursor is not one this desk gave'), { statusCode: 400 });
}

/** Builds a WHERE clause with numbered parameters. */
class Where {
  readonly parts: string[] = [];
  readonly args: unknown[] = [];
  add(sql: string, ...values: unknown[]): void {
    let out = sql;
    for (const v of values) {
      this.args.push(v);
      out = out.replace('?', `$${this.args.length}`);
    }
    this.parts.push(out);
  }
  sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

function filtered(f: ListFilter, now: Date): Where {
  const w = new Where();
  if (f.status) w.add('c.status = ?', f.status);
  if (!f.status || !FINISHED_STATUSES.includes(f.status as never)) w.add('c.closed_at IS NULL');
  if (f.priority) w.add('c.priority = ?', f.priority);
  if (f.category) w.add('c.category = ?', f.category);
  if (f.customer) f.customer === '-' ? w.add('c.customer_id IS NULL') : w.add('c.customer_id = ?', f.customer);
  if (f.campaign) w.add('c.campaign_id = ?::bigint', f.campaign);
  if (f.owner) f.owner === '-' ? w.add('c.owner IS NULL') : w.add('c.owner = ?', f.owner);
  if (f.due === 'breached') w.add('c.sla_due_at <= ?', now);
  if (f.due === 'due') w.add('c.sla_warn_at <= ?', now);
  return w;
}

const rowOut = (r: Record<string, unknown>): ListedCase => {
  const { id: _id, ...rest } = r;
  const out = rest as unknown as ListedCase;
  for (const k of ['openedAt', 'lastSeen', 'closedAt', 'slaDueAt', 'slaWarnAt'] as const) {
    const v = (out as unknown as Record<string, unknown>)[k];
    if (v instanceof Date) (out as unknown as Record<string, unknown>)[k] = v.toISOString();
  }
  return out;
};

async function counted(pool: pg.Pool, from: string, w: Where): Promise<{ total: number; more: boolean }> {
  const n = Number((await pool.query(`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} ${w.sql()} LIMIT ${COUNT_CAP + 1}) x`, w.args)).rows[0].n);
  return { total: Math.min(n, COUNT_CAP), more: n > COUNT_CAP };
}

/**
 * Cases by nearest deadline, the database sorting (sla_due_at, id: an
 * index), most overdue first and cases no clock runs on last; finished
 * cases newest first. Keyset pages: `after` is the previous page's `next`.
 */
export async function listByDeadline(pool: pg.Pool, f: ListFilter & { after?: string; limit: number }, now = new Date()): Promise<ListPage> {
  const finished = !!f.status && FINISHED_STATUSES.includes(f.status as never);
  const w = filtered(f, now);
  const count = await counted(pool, 'cases c', w);
  const cursor = decode(f.after);
  if (cursor && finished) w.add('c.id < ?::bigint', cursor[1]);
  else if (cursor && cursor[0] === null) w.add('c.sla_due_at IS NULL AND c.id > ?::bigint', cursor[1]);
  else if (cursor) w.add('(c.sla_due_at > ? OR (c.sla_due_at = ? AND c.id > ?::bigint) OR c.sla_due_at IS NULL)', cursor[0], cursor[0], cursor[1]);
  const order = finished ? 'ORDER BY c.id DESC' : 'ORDER BY c.sla_due_at ASC NULLS LAST, c.id ASC';
  w.args.push(f.limit + 1);
  const res = await pool.query(`SELECT ${COLUMNS} FROM cases c ${w.sql()} ${order} LIMIT $${w.args.length}`, w.args);
  const rows = res.rows.slice(0, f.limit);
  const last = rows[rows.length - 1];
  const next = res.rows.length > f.limit && last ? encode([last.slaDueAt ? (last.slaDueAt as Date).toISOString() : null, String(last.id)]) : null;
  return { cases: rows.map(rowOut), ...count, next };
}

/** What a search looks for. */
export const SEARCH_KINDS = ['ref', 'target', 'customer', 'reporter', 'message-id', 'text'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/**
 * What a search box's words most likely are: a case reference, a
 * Message-ID (<…>), an e-mail address (a reporter), a host, domain or IP
 * (a target), else words to look for in the reports. Pure.
 */
export function searchKindOf(q: string, refPrefix: string): SearchKind {
  const s = q.trim();
  if (new RegExp(`^${refPrefix.replace(/[^A-Za-z0-9]/g, '')}-\\d{4}-\\d{6,}$`, 'i').test(s)) return 'ref';
  if (/^<[^<>\s]+>$/.test(s)) return 'message-id';
  if (/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(s)) return 'reporter';
  if (/^(?:[a-z]+:\/\/)?(?:[a-z0-9-]+\.)+[a-z0-9-]{2,}(?::\d+)?(?:\/\S*)?$/i.test(s) || /^[0-9a-f:.]+$/i.test(s) && /[.:]/.test(s)) return 'target';
  return 'text';
}

/** A host from what a person pasted: a URL's host, a domain without its trailing dot, lower case. */
export function targetOf(q: string): string {
  let s = q.trim().toLowerCase();
  const m = /^[a-z]+:\/\/([^/?#]+)/.exec(s);
  if (m) s = m[1]!.replace(/^[^@]*@/, '').replace(/:\d+$/, '');
  return s.replace(/\.$/, '').replace(/\/.*$/, '');
}

/**
 * The cases of the report an evidence row `e` belongs to, looked up by its
 * key for each row found: the planner cannot size a text search (it guesses
 * thousands of rows) and, joining, read every report.
 */
const CASES_OF_REPORT = `(SELECT r.case_id || COALESCE(r.more_case_ids, '{}') FROM reports r WHERE r.message_key = e.message_key)`;

/** The case ids a search matches, as SQL over the parameter `?` (its value returned beside it). */
function matching(kind: SearchKind, q: string): { sql: string; values: unknown[] } {
  switch (kind) {
    case 'ref':
      return { sql: 'SELECT id FROM cases WHERE ref = ?', values: [q.trim().toUpperCase()] };
    case 'customer':
      return { sql: 'SELECT id FROM cases WHERE customer_id = ?', values: [q.trim()] };
    case 'target': {
      // Exact, or any name under it: reversed, a suffix is a prefix (cases_target_rev).
      const rev = [...targetOf(q)].reverse().join('');
      const like = `${rev.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;
      return { sql: `SELECT id FROM cases WHERE reverse(lower(target_value)) = ? OR reverse(lower(target_value)) LIKE ?`, values: [rev, like] };
    }
    case 'reporter':
      // Matched on the stored hash: the address itself is not searched, and an erased reporter is not found.
      return { sql: 'SELECT cr.case_id AS id FROM reporters r JOIN case_reporters cr ON cr.reporter_id = r.id WHERE r.address_hash = ?', values: [createHash('sha256').update(q.trim().toLowerCase()).digest()] };
    case 'message-id':
      return {
        // "IS NOT NULL" lets the planner use the partial index (report_evidence_message_id).
        sql: `SELECT unnest(${CASES_OF_REPORT}) AS id FROM report_evidence e WHERE e.message_id IS NOT NULL AND lower(e.message_id) = ?`,
        values: [q.trim().replace(/^<|>$/g, '').toLowerCase()],
      };
    case 'text':
      return {
        // At most COUNT_CAP + 1 matching reports are read: words found in a hundred thousand reports
        // list the newest cases of the first ones found, counted "1,000+" (narrow the words to see the rest).
        sql: `SELECT unnest(${CASES_OF_REPORT}) AS id FROM (SELECT e.message_key FROM report_evidence e
               WHERE e.search IS NOT NULL AND e.search @@ (websearch_to_tsquery('english', ?) || websearch_to_tsquery('french', ?)) LIMIT ${COUNT_CAP + 1}) e`,
        values: [q, q],
      };
  }
}

/**
 * Cases matching a search, over every status, newest first, keyset pages.
 * A message-id as the store keeps it (without the angle brackets).
 */
export async function searchCases(pool: pg.Pool, s: { q: string; kind: SearchKind; after?: string; limit: number }): Promise<ListPage & { kind: SearchKind }> {
  const m = matching(s.kind, s.q);
  const w = new Where();
  // The matching ids first, then the cases by primary key: a join the planner could not size read every case.
  w.add(`c.id = ANY (ARRAY(SELECT DISTINCT id FROM (${m.sql}) hits))`, ...m.values);
  const count = await counted(pool, 'cases c', w);
  const cursor = decode(s.after);
  if (cursor) w.add('c.id < ?::bigint', cursor[1]);
  w.args.push(s.limit + 1);
  const res = await pool.query(`SELECT ${COLUMNS} FROM cases c ${w.sql()} ORDER BY c.id DESC LIMIT $${w.args.length}`, w.args);
  const rows = res.rows.slice(0, s.limit);
  const last = rows[rows.length - 1];
  return { kind: s.kind, cases: rows.map(rowOut), ...count, next: res.rows.length > s.limit && last ? encode([null, String(last.id)]) : null };
}

/** An open case whose target waits for a person to confirm it (policy confirm). */
export interface ToConfirm {
  ref: string;
  target: string;
  customerId: string | null;
  category: string;
  openedAt: string;
}

/** The open cases whose target a person must confirm, oldest first, and how many there are (at most COUNT_CAP). */
export async function targetsToConfirm(pool: pg.Pool, limit = 20): Promise<{ total: number; cases: ToConfirm[] }> {
  // Read through the partial index cases_to_confirm (migration 012).
  const waiting = `closed_at IS NULL AND policy = 'confirm'`;
  const res = await pool.query<{ ref: string; target_value: string; customer_id: string | null; category: string; opened_at: Date }>(
    `SELECT ref, target_value, customer_id, category, opened_at FROM cases WHERE ${waiting} ORDER BY opened_at LIMIT $1`,
    [limit],
  );
  const total = res.rows.length < limit ? res.rows.length : Number((await pool.query(`SELECT count(*) AS n FROM (SELECT 1 FROM cases WHERE ${waiting} LIMIT ${COUNT_CAP}) x`)).rows[0].n);
  return { total, cases: res.rows.map((r) => ({ ref: r.ref, target: r.target_value, customerId: r.customer_id, category: r.category, openedAt: r.opened_at.toISOString() })) };
}
