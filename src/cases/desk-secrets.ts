import { randomBytes } from 'node:crypto';
import type pg from 'pg';

/**
 * A secret of the desk's own, made once (32 random bytes) and kept in the
 * case store, so every process of the desk, on any host, uses the same one
 * and none needs configuring. The first process to ask creates it.
 */
export async function deskSecret(pool: pg.Pool, name: string): Promise<Buffer> {
  await pool.query(`INSERT INTO desk_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, randomBytes(32)]);
  const row = (await pool.query<{ secret: Buffer }>(`SELECT secret FROM desk_secrets WHERE name = $1`, [name])).rows[0];
  if (!row) throw new Error(`desk secret ${name} could not be created`);
  return row.secret;
}

/** The key of the customers' per-case reply addresses. */
export const REPLY_ADDRESS_SECRET = 'reply-address';
