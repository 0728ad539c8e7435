import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { schemaSql } from '../../src/directory/sources/postgres-source.ts';

const PG_URL = process.env.ABUSE_DESK_TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';

describe('PostgreSQL directory source: a hung database fails the load, it does not stall it', () => {
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const db = new pg.Client({ connectionString: PG_URL });
  const locker = new pg.Client({ connectionString: PG_URL });

  before(async () => {
    await db.connect();
    await locker.connect();
    await db.query(schemaSql(schema));
    await db.query(`INSERT INTO ${schema}.customers (id, name, email) VALUES ('C1', 'One', 'one@one.test')`);
    await db.query(`INSERT INTO ${schema}.domains (customer_id, domain) VALUES ('C1', 'one.test')`);
  });

  after(async () => {
    await locker.end().catch(() => undefined);
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  });

  it('reads the directory through its cursor', async () => {
    const d = await loadDirectory(sourceOf({ source: PG_URL, schema, connectTimeoutMs: 2000, statementTimeoutMs: 2000 }));
    assert.equal(d.size, 1);
  });

  it('gives up on a server that accepts the connection and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    try {
      await assert.rejects(loadDirectory(sourceOf({ source: `postgres://u:p@127.0.0.1:${port}/db`, schema, connectTimeoutMs: 500, statementTimeoutMs: 500 })));
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('cancels a read that waits on a lock past the statement timeout', async () => {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${schema}.customers IN ACCESS EXCLUSIVE MODE`);
    const started = Date.now();
    try {
      await assert.rejects(loadDirectory(sourceOf({ source: PG_URL, schema, connectTimeoutMs: 2000, statementTimeoutMs: 500 })), /timeout|cancel/i);
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    } finally {
      await locker.query('ROLLBACK');
    }
  });
});
