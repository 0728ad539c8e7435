import assert from 'node:assert/strict';
import { freePort } from '../../src/dev/dovecot.ts';
import { operator } from '../support/operators.ts';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { startApi } from '../../src/http/start-api.ts';
import { casePool } from '../../src/cases/case-db.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/log.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { Queue } from 'bullmq';
import { QUEUES } from '../../src/queue/names.ts';
import { dropSchema, PG_URL } from '../support/stack.ts';
import { startDovecot, type DovecotServer } from '../../src/dev/dovecot.ts';
import { startSmtpSink, type SmtpSink } from '../../src/dev/smtp-sink.ts';
import { startPoller } from '../../workers/poller.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;
const viewer = operator('vera', 'viewer');
const admin = operator('root', 'admin');

/**
 * The ops surfaces on a private Redis (started and stopped by the test) and
 * the real PostgreSQL: health without credentials, everything else behind a
 * token; readiness follows Redis going down and coming back; metrics and
 * `abuse-desk status` report a waiting job.
 */
describe('ops surfaces', () => {
  let redis: ChildProcess | null = null;
  let port = 0;
  let rt: Runtime;
  let api: { url: string; close(): Promise<void> };
  let configFile = '';
  let dovecot: DovecotServer;
  let sink: SmtpSink;
  let poller: { close(): Promise<void> } | null = null;
  /** Set to make the relay refuse our login (an expired password). */
  let refuseLogin = false;
  const schema = `t_ops_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const startRedis = async (): Promise<void> => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG')) return;
      await sleep(100);
    }
    throw new Error('private redis-server did not start');
  };
  const get = async (path: string, token?: string) => {
    const res = await fetch(`${api.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, text: await res.text() };
  };

  before(async () => {
    port = await freePort();
    await startRedis();
    dovecot = await startDovecot();
    sink = await startSmtpSink({ refuseAuth: () => (refuseLogin ? { code: 535, message: '5.7.8 Authentication credentials invalid' } : null) });
    const settings = {
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, pollIntervalMs: 500, reconnect: { initialMs: 100, maxMs: 500, resetAfterMs: 5000 } },
      smtp: { host: sink.host, port: sink.port, secure: false, user: 'desk', password: 'secret' },
      redis: { url: `redis://127.0.0.1:${port}`, prefix: `test-ops-${randomUUID()}` },
      cases: { database: PG_URL, schema },
      ops: { staleJobSec: 1, pollerStaleSec: 3, relayProbeSec: 1 },
      api: { host: '127.0.0.1', port: 0, operators: [viewer.entry, admin.entry] },
      log: { level: 'silent' },
    };
    configFile = join(mkdtempSync(join(tmpdir(), 'abuse-desk-ops-')), 'config.yaml');
    writeFileSync(configFile, stringify(settings));
    rt = await createRuntime(loadConfig({ configFile, env: {} }), createLogger('silent'));
    api = await startApi(rt);
    poller = startPoller(rt);
  });

  after(async () => {
    await poller?.close();
    await api?.close();
    await dovecot?.stop();
    await sink?.close();
    rt?.close();
    const pool = casePool(loadConfig({ configFile, env: {} }).cases);
    await dropSchema(pool, schema).catch(() => undefined);
    await pool.end();
    redis?.kill('SIGKILL');
  });

  it('answers health without credentials, and everything else only with a token', async () => {
    assert.equal((await get('/healthz')).status, 200);
    let ready = await get('/readyz');
    for (let i = 0; i < 50 && ready.status !== 200; i++) (await sleep(100), (ready = await get('/readyz')));
    assert.equal(ready.status, 200, ready.text);
    assert.deepEqual(Object.keys(JSON.parse(ready.text).checks).sort(), ['imap', 'postgres', 'redis', 'smtp']);
    assert.equal((await get('/metrics')).status, 401);
    assert.equal((await get('/ops/queues')).status, 401);
    assert.equal((await get('/ops/queues', viewer.token)).status, 403, 'the queue board can retry and remove jobs: admins only');
    const board = await get('/ops/queues', admin.token);
    assert.equal(board.status, 200);
    assert.match(board.text, /<html/i);
  });

  it('reports queue depth, the age of the oldest waiting job and open cases in /metrics, and `status` says what needs attention', async () => {
    const q = new Queue(QUEUES.triage, { connection: { host: '127.0.0.1', port }, prefix: rt.config.redis.prefix });
    await q.add('complaint', { stuck: true });
    await q.close();
    await sleep(1500);
    const m = await get('/metrics', viewer.token);
    assert.equal(m.status, 200);
    assert.match(m.text, /^abuse_desk_queue_jobs\{queue="triage",state="waiting"\} 1$/m);
    const age = Number(/^abuse_desk_queue_oldest_waiting_seconds\{queue="triage"\} ([\d.]+)$/m.exec(m.text)?.[1]);
    assert.ok(age >= 1, `oldest waiting ${age} s`);
    assert.match(m.text, /^abuse_desk_dead_letter_jobs 0$/m);
    assert.match(m.text, /^abuse_desk_sla_breaches\{clock="acknowledge"\} 0$/m, 'the job has waited 1.5 s of the 900 s allowed');
    // Not spawnSync: the SMTP relay the status command probes runs in this process.
    const status = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [BIN, 'status', '--config', configFile], { encoding: 'utf8' }, (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr })),
    );
    assert.equal(status.status, 1, status.stdout + status.stderr);
    assert.match(status.stdout, /^ready {8}redis ok {2}postgres ok {2}smtp ok$/m);
    assert.match(status.stdout, /NEEDS ATTENTION:\n {2}- triage: a job has waited \d+ s/);
  });

  it('exports every series the deploy/ alert rules and dashboard use', async () => {
    const m = (await get('/metrics', viewer.token)).text;
    const used = new Set<string>();
    for (const file of ['deploy/prometheus/abuse-desk-rules.yaml', 'deploy/grafana/abuse-desk-dashboard.json']) {
      for (const name of readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').match(/abuse_desk_[a-z_]+/g) ?? []) used.add(name);
    }
    assert.ok(used.size >= 8, [...used].join(', '));
    for (const name of used) {
      // A histogram's series are its name with _bucket, _sum and _count.
      const base = name.replace(/_(bucket|sum|count)$/, '');
      assert.match(m, new RegExp(`^# TYPE (${name} |${base} histogram$)`, 'm'), `${name} is used in deploy/ but not in /metrics`);
    }
  });

  it('turns /readyz unhealthy while Redis is down, and healthy again when it returns', async () => {
    redis!.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));
    let down = await get('/readyz');
    for (let i = 0; i < 20 && down.status === 200; i++) (await sleep(200), (down = await get('/readyz')));
    assert.equal(down.status, 503);
    assert.equal(JSON.parse(down.text).checks.redis.ok, false);
    assert.equal(JSON.parse(down.text).checks.postgres.ok, true);
    await startRedis();
    let up = await get('/readyz');
    for (let i = 0; i < 50 && up.status !== 200; i++) (await sleep(200), (up = await get('/readyz')));
    assert.equal(up.status, 200);
  });

  it('turns /readyz unhealthy when the relay refuses our login, and when the poller loses its IMAP session', async () => {
    refuseLogin = true;
    await sleep(1100);
    let r = await get('/readyz');
    assert.equal(r.status, 503, r.text);
    // Anonymous callers learn which check failed, not its error (which names hosts and addresses).
    assert.deepEqual(JSON.parse(r.text).checks.smtp, { ok: false });
    assert.ok(!r.text.includes('535') && !r.text.includes('127.0.0.1'), r.text);
    assert.match(JSON.parse((await get('/readyz', viewer.token)).text).checks.smtp.error, /535|Authentication/, 'an operator sees why');
    refuseLogin = false;
    await sleep(1100);
    assert.equal((await get('/readyz')).status, 200);

    await dovecot.stop();
    for (let i = 0; i < 60 && r.status !== 503; i++) (await sleep(100), (r = await get('/readyz')));
    await sleep(3500);
    r = await get('/readyz', viewer.token);
    assert.equal(r.status, 503, r.text);
    assert.match(JSON.parse(r.text).checks.imap.error, /last checked the mailbox \d+ s ago/);
    assert.match((await get('/metrics', viewer.token)).text, /^abuse_desk_poller_connected 0$/m);
  });
});
