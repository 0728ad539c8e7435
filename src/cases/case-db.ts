import pg from 'pg';
import type { Config } from '../config/schema.ts';
import { withoutCredentials } from '../config/url-credentials.ts';
import { CaseStore } from './case-store.ts';
import { migrate } from './migrate.ts';
import type { DeadlineOf } from './stored-deadline.ts';

// bigint and bigint[] as strings (ids), timestamps as Date: pg's defaults.

/** A pool on the case store's schema, with the configured timeouts. */
export function casePool(cfg: Config['cases']): pg.Pool {
  const pool = new pg.Pool({
    connectionString: cfg.database,
    max: cfg.poolSize,
    connectionTimeoutMillis: cfg.connectTimeoutMs,
    // Every session sees only its schema, and no statement waits forever.
    options: `-c search_path=${cfg.schema} -c statement_timeout=${cfg.statementTimeoutMs}`,
    application_name: 'abuse-desk',
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Opens the pool and applies pending migrations; errors name the setting to fix. */
export async function openCaseDb(cfg: Config['cases']): Promise<pg.Pool> {
  const pool = casePool(cfg);
  try {
    await migrate(pool, cfg.schema);
  } catch (err) {
    await pool.end().catch(() => undefined);
    const url = withoutCredentials(cfg.database);
    // The driver's code is kept: whether the store is unreachable or misconfigured decides whether to wait (wait-for-store.ts).
    throw Object.assign(new Error(`case store at ${url} (cases.database, or ABUSE_DESK_CASES_URL), schema ${cfg.schema}: ${(err as Error).message}`, { cause: err }), {
      code: (err as { code?: string }).code,
    });
  }
  return pool;
}

/**
 * The case store with its settings from config, migrated. `deadlineOf`:
 * the SLA policy, for a store that opens cases (the triage worker's).
 */
export async function openCaseStore(config: Readonly<Config>, o: { deadlineOf?: DeadlineOf } = {}): Promise<CaseStore> {
  const c = config.cases;
  return new CaseStore(await openCaseDb(c), {
    refPrefix: config.desk.caseRefPrefix,
    joinWindowSec: c.joinWindowSec,
    noticeUpdateIntervalSec: c.noticeUpdateIntervalSec,
    realertIntervalSec: c.realertIntervalSec,
    raise: c.raise,
    ladder: config.ladder,
    deadlineOf: o.deadlineOf,
  });
}
