import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow } from 'imapflow';
import type pg from 'pg';
import { openCaseStore } from '../../src/cases/case-db.ts';
import type { CaseStore } from '../../src/cases/case-store.ts';
import { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { stringify } from 'yaml';
import { startNotifyWorker } from '../../workers/notify.ts';
import { startPoller } from '../../workers/poller.ts';
import { startTriageWorker } from '../../workers/triage.ts';
import { deepMerge, loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { deleteKeysWithPrefix } from '../../src/dev/delete-keys.ts';
import { startDovecot, type DovecotServer } from '../../src/dev/dovecot.ts';
import { startSmtpSink, type SinkOptions, type SmtpSink } from '../../src/dev/smtp-sink.ts';
import { createLogger } from '../../src/log.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';

export const REDIS_URL = process.env.ABUSE_DESK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PG_URL = process.env.ABUSE_DESK_TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';

/** Drops a schema this run created (tests never touch others). */
export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  if (!/^t_[a-z0-9_]+$/.test(schema)) throw new Error(`refusing to drop schema ${schema}: not a test schema`);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

export interface Stack {
  dovecot: DovecotServer;
  sink: SmtpSink;
  prefix: string;
  /** Settings as a plain object (written to configFile for child processes). */
  settings: Record<string, unknown>;
  configFile: string;
  config: Readonly<Config>;
  runtime: Runtime;
  redis: Redis;
  /** Starts the given parts in this process; returns a stopper. */
  start(parts: Array<'poller' | 'triage' | 'notify'>): Promise<{ close(): Promise<void> }>;
  /** The case store of this run (its own PostgreSQL schema, dropped at stop). */
  cases: CaseStore;
  imap(): Promise<ImapFlow>;
  append(raws: Buffer[]): Promise<void>;
  count(folder: string): Promise<number>;
  /** Polls until `pred` is true or fails after timeoutMs. */
  until(pred: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private Dovecot, an SMTP sink, and a config whose Redis prefix is unique
 * to this run, so tests never touch keys they did not create.
 */
export interface StackOptions {
  /** Where log lines go (default: stdout at the configured level). */
  logTo?: DestinationStream;
  /** Makes the SMTP sink refuse some recipients. */
  reject?: (rcpt: string) => { code: number; message: string } | null;
  /** Further SMTP sink behaviour (refusing AUTH or MAIL FROM). */
  sink?: SinkOptions;
}

export async function startStack(overrides: Record<string, unknown> = {}, opts: StackOptions = {}): Promise<Stack> {
  const dovecot = await startDovecot();
  const sink = await startSmtpSink({ reject: opts.reject, ...opts.sink });
  const prefix = `test-${randomUUID()}`;
  const caseSchema = `t_cases_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-test-'));
  const settings = deepMerge(
    {
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, pollIntervalMs: 1000, batchSize: 500, reconnect: { initialMs: 100, maxMs: 1000, resetAfterMs: 5000 } },
      redis: { url: REDIS_URL, prefix },
      cases: { database: PG_URL, schema: caseSchema },
      smtp: { host: sink.host, port: sink.port, secure: false, pool: true, maxConnections: 5 },
      jobs: { backoffMs: 200 },
      log: { level: process.env.ABUSE_DESK_TEST_LOG ?? 'silent' },
    },
    overrides,
  );
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, stringify(settings));
  const config = loadConfig({ configFile, env: {} });
  const runtime = await createRuntime(config, createLogger(config.log.level, 'abuse-desk', opts.logTo));
  const redis = new Redis(REDIS_URL);
  const cases = await openCaseStore(config);
  const clients: ImapFlow[] = [];

  const imap = async (): Promise<ImapFlow> => {
    const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await c.connect();
    clients.push(c);
    return c;
  };
  const admin = await imap();

  const running: Array<{ close(): Promise<void> }> = [];
  return {
    dovecot, sink, prefix, settings, configFile, config, runtime, redis,
    imap,
    cases,
    async start(parts) {
      const started: Array<{ close(): Promise<void> }> = [];
      if (parts.includes('notify')) started.push(await startNotifyWorker(runtime));
      if (parts.includes('triage')) started.push(await startTriageWorker(runtime));
      if (parts.includes('poller')) started.push(startPoller(runtime));
      const handle = {
        async close() {
          for (const s of started.reverse()) await s.close();
          running.splice(running.indexOf(handle), 1);
        },
      };
      running.push(handle);
      return handle;
    },
    async append(raws) {
      for (const raw of raws) await admin.append(config.imap.mailbox, raw);
    },
    async count(folder) {
      const status = await admin.status(folder, { messages: true }).catch(() => false as const);
      return status ? (status.messages ?? 0) : 0;
    },
    async until(pred, timeoutMs, what) {
      const until = Date.now() + timeoutMs;
      while (!(await pred())) {
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await sleep(100);
      }
    },
    async stop() {
      for (const r of [...running].reverse()) await r.close();
      runtime.close();
      for (const c of clients) await c.logout().catch(() => undefined);
      await deleteKeysWithPrefix(redis, prefix);
      await dropSchema(cases.pool, config.cases.schema);
      await cases.end();
      redis.disconnect();
      await sink.close();
      await dovecot.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

