import type pg from 'pg';

/**
 * Runs `body` on a client checked out of `pool`, and gives it back. A
 * checked-out client has no listener of the pool's: if its connection drops
 * (a database restart, a network cut) between two queries, it emits 'error'
 * with nobody listening, and Node ends the process. Here the error is kept
 * instead, the query in hand fails with it (or the next one does), and the
 * broken client is destroyed rather than returned to the pool.
 */
export async function withClient<T>(pool: pg.Pool, body: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error): void => {
    broken ??= err;
  };
  client.on('error', onError);
  try {
    return await body(client);
  } catch (err) {
    // A query that failed because the connection did (rather than its SQL) leaves the client unusable.
    if (isConnectionLoss(err)) broken ??= err as Error;
    throw err;
  } finally {
    if (broken) {
      // Destroyed, not pooled; the listener stays so a late 'error' from the dying socket is heard too.
      client.release(broken);
    } else {
      client.off('error', onError);
      client.release();
    }
  }
}

/**
 * Runs `body` in one transaction on a connected client: `begin` (BEGIN, or
 * BEGIN with an isolation level), then COMMIT; ROLLBACK on any error, which
 * is thrown on. The one place a transaction is opened and closed.
 */
export async function inTransaction<T>(db: pg.ClientBase, body: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await db.query(begin);
  try {
    const out = await body();
    await db.query('COMMIT');
    return out;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Runs `body` in one transaction on a client of `pool`, with withClient's
 * protection against a dropped connection.
 */
export function withTransaction<T>(pool: pg.Pool, body: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, (db) => inTransaction(db, () => body(db)));
}

function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return /^(08|57P0)/.test(e?.code ?? '') || /Connection terminated|connection error|not queryable/i.test(e?.message ?? '');
}
