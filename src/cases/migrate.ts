import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { inTransaction, withClient } from '../db/transaction.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped in src/cases/migrations, NNN_name.sql, in order. */
export function migrations(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(DIR, f), 'utf8') }));
}

/**
 * Applies the migrations not yet applied to `schema`, each in its own
 * transaction, under an advisory lock so processes starting together apply
 * each once. Returns the versions applied now.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<number[]> {
  const applied: number[] = [];
  await withClient(pool, async (client) => {
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [`abuse-desk:cases:${schema}`]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.case_store_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${schema}.case_store_migrations`)).rows.map((r) => r.version));
      for (const m of migrations()) {
        if (done.has(m.version)) continue;
        await inTransaction(client, async () => {
          await client.query(`SET LOCAL search_path TO ${schema}`);
          await client.query(m.sql);
          await client.query(`INSERT INTO ${schema}.case_store_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        }).catch((err: Error) => {
          throw Object.assign(new Error(`case store migration ${m.version} (${m.name}) failed: ${err.message}`), { code: (err as { code?: string }).code });
        });
        applied.push(m.version);
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`abuse-desk:cases:${schema}`]);
    }
  });
  return applied;
}
