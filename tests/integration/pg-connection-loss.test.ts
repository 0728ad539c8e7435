import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { casePool } from '../../src/cases/case-db.ts';
import { isStoreUnavailable } from '../../src/cases/store-errors.ts';
import { withTransaction } from '../../src/db/transaction.ts';
import { loadConfig } from '../../src/config/load.ts';
import { PG_URL } from '../support/stack.ts';

/**
 * A pooled client whose connection the server ends in the middle of a
 * transaction (as a database restart or failover does): the transaction
 * fails with an error the desk reads as an outage, the process lives on, and
 * the pool hands out working connections afterwards.
 */
describe('a case store connection ended mid-transaction', () => {
  const schema = `t_loss_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let pool: pg.Pool;
  let admin: pg.Pool;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);

  before(async () => {
    admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.t (n int)`);
    pool = casePool(loadConfig({ overrides: { cases: { database: PG_URL, schema, poolSize: 2 } }, env: {} }).cases);
    // Any 'error' left unheard would end the process: record it instead, and fail the test.
    process.prependListener('uncaughtException', onUncaught);
  });

  after(async () => {
    process.off('uncaughtException', onUncaught);
    await pool?.end().catch(() => undefined);
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('fails the transaction as an outage, keeps the process alive, and the pool works again', async () => {
    let failure: unknown;
    try {
      await withTransaction(pool, async (db) => {
        await db.query(`INSERT INTO t VALUES (1)`);
        const { pid } = (await db.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!;
        await admin.query(`SELECT pg_terminate_backend($1)`, [pid]);
        // The server's goodbye arrives while no query runs: the client emits 'error' with nothing in hand.
        await sleep(300);
        await db.query(`INSERT INTO t VALUES (2)`);
      });
    } catch (err) {
      failure = err;
    }
    assert.ok(failure, 'the transaction failed');
    assert.ok(isStoreUnavailable(failure), `read as an outage: ${(failure as Error).message}`);
    await sleep(200);
    assert.deepEqual(uncaught.map((e) => (e as Error).message), [], 'no error went unheard');
    // Nothing of the broken transaction was kept, and the pool gives a working connection.
    assert.equal((await pool.query(`SELECT count(*)::int AS n FROM t`)).rows[0].n, 0);
    await withTransaction(pool, (db) => db.query(`INSERT INTO t VALUES (3)`));
    assert.equal((await pool.query(`SELECT count(*)::int AS n FROM t`)).rows[0].n, 1);
  });
});
