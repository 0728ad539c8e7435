import pg from 'pg';
import { inTransaction } from '../../db/transaction.ts';
import type { DirectoryBuilder, DirectoryCustomer, ImportRows } from '../customer-directory.ts';

/** Schema names are interpolated into SQL, so only plain identifiers are allowed. */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`directory.schema "${schema}" must be a lower-case SQL identifier (letters, digits, _)`);
  return schema;
}

/** The directory tables; `deploy/directory-schema.sql` is this for the default schema. */
export function schemaSql(schema = 'abuse_desk'): string {
  const s = checkSchemaName(schema);
  return `-- abuse-desk customer directory (PostgreSQL). Load with: abuse-desk directory import FILE
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.customers (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  email      text NOT NULL,
  language   text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Names registered with us; a subdomain matches its registered domain.
CREATE TABLE IF NOT EXISTS ${s}.domains (
  customer_id text NOT NULL REFERENCES ${s}.customers (id) ON DELETE CASCADE,
  domain      text NOT NULL,
  PRIMARY KEY (customer_id, domain)
);

-- IPv4 and IPv6 networks we host (a single address is a /32 or /128).
CREATE TABLE IF NOT EXISTS ${s}.networks (
  customer_id text NOT NULL REFERENCES ${s}.customers (id) ON DELETE CASCADE,
  network     cidr NOT NULL,
  PRIMARY KEY (customer_id, network)
);

-- Host names we host, exact or "*.example.test".
CREATE TABLE IF NOT EXISTS ${s}.hosts (
  customer_id text NOT NULL REFERENCES ${s}.customers (id) ON DELETE CASCADE,
  host        text NOT NULL,
  PRIMARY KEY (customer_id, host)
);

-- Accounts on our own platform.
CREATE TABLE IF NOT EXISTS ${s}.accounts (
  customer_id text NOT NULL REFERENCES ${s}.customers (id) ON DELETE CASCADE,
  handle      text NOT NULL,
  PRIMARY KEY (customer_id, handle)
);
`;
}

const ENTRY_TABLES = [
  ['domains', 'domain', 'addDomain'],
  ['networks', 'network', 'addServer'],
  ['hosts', 'host', 'addServer'],
  ['accounts', 'handle', 'addAccount'],
] as const;

export interface PostgresTimeouts {
  /** Give up connecting after this long (ms). */
  connectTimeoutMs?: number;
  /** Each statement (and each cursor fetch) is cancelled by the server, and abandoned by us, after this long (ms). */
  statementTimeoutMs?: number;
}

// Rows per cursor fetch: the rows in hand never exceed this, whatever the table's size.
const FETCH_ROWS = 10_000;

/**
 * Reads the whole directory from PostgreSQL into the builder, table by table,
 * through a cursor so a large directory is not held twice (rows, then index)
 * while it loads. A hung database cannot stall a start or a reload: the
 * connection and every statement have timeouts, and the load fails instead.
 */
export async function readPostgresSource(url: string, schema: string, b: DirectoryBuilder, t: PostgresTimeouts = {}): Promise<void> {
  const s = checkSchemaName(schema);
  const statementMs = t.statementTimeoutMs ?? 60_000;
  const client = new pg.Client({
    connectionString: url,
    application_name: 'abuse-desk',
    connectionTimeoutMillis: t.connectTimeoutMs ?? 10_000,
    statement_timeout: statementMs,
    // Client side too: a server that stopped answering never cancels anything.
    query_timeout: statementMs + 1000,
  });
  // A timed-out query leaves the connection unusable; its error must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    // One snapshot for all tables: a directory never mixes two states of the database.
    await inTransaction(
      client,
      async () => {
        await eachRow(client, `SELECT id, name, email, language FROM ${s}.customers`, ([id, name, email, language]) => {
          const c: DirectoryCustomer = { id: id!, name: name!, contact: { email: email!, language: language === 'fr' ? 'fr' : 'en' } };
          b.addCustomer(c, `${s}.customers ${id}`);
        });
        for (const [table, column, method] of ENTRY_TABLES) {
          await eachRow(client, `SELECT customer_id, ${column}::text FROM ${s}.${table}`, ([customerId, value]) => {
            const idx = b.indexOf(customerId!);
            const where = `${s}.${table} ${customerId}`;
            if (idx === undefined) b.errors.push(`${where}: no such customer`);
            else b[method](idx, value!, where);
          });
        }
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `sql` through a server-side cursor, FETCH_ROWS at a time, calling `row` for each. */
async function eachRow(client: pg.Client, sql: string, row: (values: string[]) => void): Promise<void> {
  await client.query(`DECLARE directory_rows NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const res = await client.query({ text: `FETCH ${FETCH_ROWS} FROM directory_rows`, rowMode: 'array' });
    for (const values of res.rows as string[][]) row(values);
    if (res.rows.length < FETCH_ROWS) break;
  }
  await client.query('CLOSE directory_rows');
}

/**
 * Replaces the directory in PostgreSQL with `rows`, in one transaction:
 * readers see the old directory until the commit, then the new one.
 */
export async function importToPostgres(url: string, schema: string, rows: ImportRows): Promise<void> {
  const s = checkSchemaName(schema);
  const client = new pg.Client({ connectionString: url, application_name: 'abuse-desk import' });
  // A dropped connection fails the import's query in hand; it must not also crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(schemaSql(s));
    await inTransaction(client, async () => {
      await client.query(`TRUNCATE ${s}.customers CASCADE`);
      const BATCH = 50_000;
      for (let i = 0; i < rows.customers.length; i += BATCH) {
        const part = rows.customers.slice(i, i + BATCH);
        await client.query(`INSERT INTO ${s}.customers (id, name, email, language) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`, [
          part.map((r) => r[0]), part.map((r) => r[1]), part.map((r) => r[2]), part.map((r) => r[3]),
        ]);
      }
      for (const [table, column] of ENTRY_TABLES) {
        const list = rows.entries[table];
        const type = table === 'networks' ? 'cidr' : 'text';
        for (let i = 0; i < list.length; i += BATCH) {
          const part = list.slice(i, i + BATCH);
          await client.query(`INSERT INTO ${s}.${table} (customer_id, ${column}) SELECT * FROM unnest($1::text[], $2::${type}[]) ON CONFLICT DO NOTHING`, [part.map((r) => r[0]), part.map((r) => r[1])]);
        }
      }
    });
  } finally {
    await client.end();
  }
}
