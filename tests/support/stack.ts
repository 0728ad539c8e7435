import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow } from 'imapflow';
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
  start(parts: Array<'poller' | 'triage' | 'notify'>): { close(): Promise<void> };
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
  const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-test-'));
  const settings = deepMerge(
    {
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, pollIntervalMs: 1000, batchSize: 500, reconnect: { initialMs: 100, maxMs: 1000, resetAfterMs: 5000 } },
      redis: { url: REDIS_URL, prefix },
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
    start(parts) {
      const started: Array<{ close(): Promise<void> }> = [];
      if (parts.includes('notify')) started.push(startNotifyWorker(runtime));
      if (parts.includes('triage')) started.push(startTriageWorker(runtime));
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
      redis.disconnect();
      await sink.close();
      await dovecot.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

