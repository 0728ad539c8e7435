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
 * Runs `body` in one transaction (BEGIN … COMMIT; ROLLBACK on any error) on
 * a client of `pool`, with withClient's protection against a dropped
 * connection.
 */
export function withTransaction<T>(pool: pg.Pool, body: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (db) => {
    await db.query('BEGIN');
    try {
      const out = await body(db);
      await db.query('COMMIT');
      return out;
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return /^(08|57P0)/.test(e?.code ?? '') || /Connection terminated|connection error|not queryable/i.test(e?.message ?? '');
}
