import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';
import type { Role } from './roles.ts';
import { newTokenValue } from './tokens.ts';

export interface OperatorRow {
  name: string;
  role: Role;
  source: 'store' | 'config';
  createdAt: Date;
  revokedAt: Date | null;
  tokens: number;
  sessions: number;
}

/** A session as the store holds it: whose, and when it began and was last used. */
export interface SessionRow {
  operator: string;
  createdAt: Date;
  lastSeenAt: Date;
}

export class OperatorError extends Error {
  override name = 'OperatorError';
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Operators, their API tokens and their board sessions in the case store
 * (migration 006). Tokens and session ids are kept as sha256 only. Revoking
 * an operator ends their tokens and sessions in the same transaction, so the
 * next request of theirs is refused, on every API process, without a restart.
 */
export class OperatorStore {
  constructor(private readonly pool: pg.Pool) {}

  /** A new operator and their first token (shown once). Refuses a name in use, or one of api.operators. */
  async add(name: string, role: Role, configNames: readonly string[]): Promise<string> {
    if (configNames.includes(name)) throw new OperatorError(`${name} is defined in api.operators; choose another name`);
    const token = newTokenValue();
    return withTransaction(this.pool, async (client) => {
      const added = await client.query(`INSERT INTO operators (name, role) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name`, [name, role]);
      if (!added.rowCount) throw new OperatorError(`there is already an operator ${name} (revoked ones keep their name: choose another)`);
      await client.query(`INSERT INTO operator_tokens (token_sha256, operator) VALUES ($1, $2)`, [sha256(token), name]);
      return token;
    });
  }

  /** Every operator of the store, and the config's that were revoked, with their live tokens and sessions. */
  async list(): Promise<OperatorRow[]> {
    const res = await this.pool.query(
      `SELECT o.name, o.role, o.source, o.created_at, o.revoked_at,
         (SELECT count(*)::int FROM operator_tokens t WHERE t.operator = o.name AND t.revoked_at IS NULL) AS tokens,
         (SELECT count(*)::int FROM board_sessions s WHERE s.operator = o.name AND s.ended_at IS NULL) AS sessions
       FROM operators o ORDER BY o.name`,
    );
    return res.rows.map((r) => ({ name: r.name, role: r.role, source: r.source, createdAt: r.created_at, revokedAt: r.revoked_at, tokens: r.tokens, sessions: r.sessions }));
  }

  /** Live board sessions of config-defined operators (they have no row of their own unless revoked). */
  async sessionsOf(name: string): Promise<number> {
    return (await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM board_sessions WHERE operator = $1 AND ended_at IS NULL`, [name])).rows[0]!.n;
  }

  /**
   * Revokes an operator: their tokens and sessions end now. A config-defined
   * operator (`config` gives their role) is recorded as revoked here, which
   * overrides api.operators until that entry is removed.
   */
  async revoke(name: string, config: { role: Role } | null): Promise<{ tokens: number; sessions: number }> {
    return withTransaction(this.pool, async (client) => {
      const found = config
        ? await client.query(`INSERT INTO operators (name, role, source, revoked_at) VALUES ($1, $2, 'config', now()) ON CONFLICT (name) DO UPDATE SET revoked_at = COALESCE(operators.revoked_at, now()) RETURNING name`, [name, config.role])
        : await client.query(`UPDATE operators SET revoked_at = COALESCE(revoked_at, now()) WHERE name = $1 RETURNING name`, [name]);
      if (!found.rowCount) throw new OperatorError(`no operator ${name}`);
      const tokens = await client.query(`UPDATE operator_tokens SET revoked_at = now() WHERE operator = $1 AND revoked_at IS NULL`, [name]);
      const sessions = await client.query(`UPDATE board_sessions SET ended_at = now() WHERE operator = $1 AND ended_at IS NULL`, [name]);
      return { tokens: tokens.rowCount ?? 0, sessions: sessions.rowCount ?? 0 };
    });
  }

  /** A new token for a store operator; the old ones and every session end now. Returns the token (shown once). */
  async rotate(name: string): Promise<string> {
    const token = newTokenValue();
    return withTransaction(this.pool, async (client) => {
      const op = (await client.query(`SELECT source, revoked_at FROM operators WHERE name = $1 FOR UPDATE`, [name])).rows[0];
      if (!op) throw new OperatorError(`no operator ${name} in the case store (one of api.operators is rotated in the config: \`abuse-desk api token\`)`);
      if (op.source === 'config' || op.revoked_at) throw new OperatorError(`${name} is revoked; add a new operator instead`);
      await client.query(`UPDATE operator_tokens SET revoked_at = now() WHERE operator = $1 AND revoked_at IS NULL`, [name]);
      await client.query(`UPDATE board_sessions SET ended_at = now() WHERE operator = $1 AND ended_at IS NULL`, [name]);
      await client.query(`INSERT INTO operator_tokens (token_sha256, operator) VALUES ($1, $2)`, [sha256(token), name]);
      return token;
    });
  }

  /** The live operator a token belongs to, by its sha256 (hex), or null. */
  async byTokenHash(hashHex: string): Promise<{ name: string; role: Role } | null> {
    const res = await this.pool.query(
      `SELECT o.name, o.role FROM operator_tokens t JOIN operators o ON o.name = t.operator
       WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND o.revoked_at IS NULL AND o.source = 'store'`,
      [Buffer.from(hashHex, 'hex')],
    );
    return res.rows[0] ? { name: res.rows[0].name, role: res.rows[0].role } : null;
  }

  /** Names recorded as revoked (config-defined operators among them). */
  async revokedNames(names: readonly string[]): Promise<Set<string>> {
    if (!names.length) return new Set();
    const res = await this.pool.query<{ name: string }>(`SELECT name FROM operators WHERE name = ANY($1::text[]) AND revoked_at IS NOT NULL`, [names]);
    return new Set(res.rows.map((r) => r.name));
  }

  /** Whether the store holds any operator who may sign in. */
  async anyActive(): Promise<boolean> {
    return (await this.pool.query(`SELECT 1 FROM operators WHERE revoked_at IS NULL AND source = 'store' LIMIT 1`)).rowCount! > 0;
  }

  /** A store operator's role, if they are active. */
  async activeRole(name: string): Promise<Role | null> {
    const r = (await this.pool.query<{ role: Role }>(`SELECT role FROM operators WHERE name = $1 AND revoked_at IS NULL AND source = 'store'`, [name])).rows[0];
    return r?.role ?? null;
  }

  /** A new board session for an operator; returns its id (for the cookie; only its sha256 is kept). */
  async createSession(operator: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.pool.query(`INSERT INTO board_sessions (id_sha256, operator) VALUES ($1, $2)`, [sha256(id), operator]);
    return id;
  }

  /**
   * The live session with this id: not ended, used within `idleSec`, begun
   * within `maxSec`. One that ran out is ended here. `touch`: record this use
   * (done at most once a minute, to spare the store a write per click).
   */
  async session(id: string, idleSec: number, maxSec: number, now = new Date()): Promise<SessionRow | null> {
    const hash = sha256(id);
    const r = (await this.pool.query(`SELECT operator, created_at, last_seen_at FROM board_sessions WHERE id_sha256 = $1 AND ended_at IS NULL`, [hash])).rows[0];
    if (!r) return null;
    const idle = now.getTime() - r.last_seen_at.getTime() > idleSec * 1000;
    const old = now.getTime() - r.created_at.getTime() > maxSec * 1000;
    if (idle || old) {
      await this.pool.query(`UPDATE board_sessions SET ended_at = $2 WHERE id_sha256 = $1 AND ended_at IS NULL`, [hash, now]);
      return null;
    }
    if (now.getTime() - r.last_seen_at.getTime() > 60_000) await this.pool.query(`UPDATE board_sessions SET last_seen_at = $2 WHERE id_sha256 = $1`, [hash, now]);
    return { operator: r.operator, createdAt: r.created_at, lastSeenAt: r.last_seen_at };
  }

  /** Forgets sessions that ended (or went idle) over `days` ago: they hold nothing anyone needs. Returns how many. */
  async purgeSessions(days = 30, now = new Date()): Promise<number> {
    const res = await this.pool.query(`DELETE FROM board_sessions WHERE COALESCE(ended_at, last_seen_at) < $1::timestamptz - make_interval(days => $2)`, [now, days]);
    return res.rowCount ?? 0;
  }

  /** Ends one session (sign-out). */
  async endSession(id: string): Promise<void> {
    await this.pool.query(`UPDATE board_sessions SET ended_at = now() WHERE id_sha256 = $1 AND ended_at IS NULL`, [sha256(id)]);
  }
}
