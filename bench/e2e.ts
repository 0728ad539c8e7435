/**
 * End-to-end throughput and latency, mailbox to SMTP, on real services:
 * a private Dovecot, Redis, and an SMTP sink in this process; the poller and
 * both workers as separate processes (the scale-out layout), as in production.
 *
 * Phase 1 (burst): N complaints appended as fast as IMAP takes them;
 *   complaintsPerSec = N / (first append → last mail at the sink), every
 *   complaint (each about a page of its own, so a case of its own) producing
 *   an acknowledgement and a notice.
 * Phase 2 (paced): N/2 complaints appended at half the burst rate; p50/p99 is
 *   append → acknowledgement received.
 * Each run is done twice on fresh mailboxes, queues and case schemas: once
 * with the pipeline alone, once with the ops server (`abuse-desk api`) beside
 * it, scraped like Prometheus would (/metrics and /readyz every
 * BENCH_SCRAPE_MS, default 2000, with a viewer token). The difference is the
 * cost of the ops surfaces. BENCH_PAIRS (default 1) repeats the pair,
 * alternating, and keeps each side's best run.
 * Last line: {"n", "complaintsPerSec", "complaintsPerSecWithOps", "opsCostPct", "p50Ms", "p99Ms", ...}
 *
 * Usage: npm run bench:e2e [-- N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow } from 'imapflow';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { casePool } from '../src/cases/case-db.ts';
import { loadConfig } from '../src/config/load.ts';
import { pollerCheckKey } from '../src/ops/desk-state.ts';
import { createQueues } from '../src/queue/queues.ts';
import { deleteKeysWithPrefix } from '../src/dev/delete-keys.ts';
import { freePort, startDovecot } from '../src/dev/dovecot.ts';
import { newToken, tokenHash } from '../src/operators/tokens.ts';
import { buildSample } from '../src/dev/sample-complaints.ts';
import { startSmtpSink } from '../src/dev/smtp-sink.ts';

const N = Number(process.argv[2] ?? process.env.BENCH_N ?? 2000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1);
const SCRAPE_MS = Number(process.env.BENCH_SCRAPE_MS ?? 2000);
const APPENDERS = 8;
const BIN = new URL('../bin/abuse-desk.js', import.meta.url).pathname;
const REDIS_URL = process.env.ABUSE_DESK_REDIS_URL ?? 'redis://127.0.0.1:6379';

const scraper = newToken('prometheus', 'viewer');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** CPU milliseconds used so far by these processes, and by every postgres and redis-server process (Linux /proc; 0 elsewhere). */
function cpuOf(pids: number[]): { own: number[]; postgres: number; redis: number } {
  const ticks = (pid: number | string): number => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return (Number(rest[11]) + Number(rest[12])) * 10;
    } catch {
      return 0;
    }
  };
  let postgres = 0;
  let redis = 0;
  try {
    for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      let comm = '';
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm === 'postgres') postgres += ticks(pid);
      else if (comm === 'redis-server') redis += ticks(pid);
    }
  } catch {
    // not Linux
  }
  return { own: pids.map(ticks), postgres, redis };
}

async function runOnce(withOps: boolean) {
  const apiPort = await freePort();
  const dovecot = await startDovecot();
  const sink = await startSmtpSink();
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  // The case store: ABUSE_DESK_CASES_URL or the default config's database, in a schema of its own, dropped at the end.
  const caseSchema = `bench_e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const configFile = join(dovecot.dir, 'bench.yaml');
  writeFileSync(
    configFile,
    stringify({
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, batchSize: 500, pollIntervalMs: 1000 },
      redis: { url: REDIS_URL, prefix },
      smtp: { host: sink.host, port: sink.port, secure: false, pool: true, maxConnections: 10 },
      workers: { triageConcurrency: 16, notifyConcurrency: 32 },
      // Thousands of distinct reporters in one test domain, each complaint answered: no caps in the way.
      caps: { exemptDomains: ['reporter.test'] },
      // Every page belongs to one test customer: with the ladder, its 2,000 cases would climb to a rung held for a person and send no notice.
      ladder: { enabled: false },
      cases: { schema: caseSchema },
      log: { level: 'warn' },
      api: { host: '127.0.0.1', port: apiPort, operators: [{ name: 'prometheus', role: 'viewer', tokenSha256: tokenHash(scraper.token) }] },
    }),
  );

  // In-Reply-To of each acknowledgement → when it arrived.
  const ackAt = new Map<string, number>();
  sink.onMail = (mail) => {
    const head = mail.raw.subarray(0, 4096).toString('latin1');
    const m = /^In-Reply-To:\s*(<[^>]+>)/im.exec(head);
    if (m) ackAt.set(m[1]!, mail.receivedAt);
  };

  const children: ChildProcess[] = [];
  for (const args of [['worker', 'notify'], ['worker', 'triage'], ['poller'], ...(withOps ? [['api']] : [])]) {
    children.push(spawn(process.execPath, [BIN, ...args, '--config', configFile], { stdio: ['ignore', process.env.BENCH_CHILD_LOGS ? 'inherit' : 'ignore', 'inherit'] }));
  }
  // Prometheus, as configured in deploy/: /metrics (and a readiness probe) every SCRAPE_MS.
  let scrapes = 0;
  let scrapeFailures = 0;
  let scraping = withOps;
  const scraperDone = (async () => {
    // From when the server answers (it starts beside the workers).
    while (scraping && !(await fetch(`http://127.0.0.1:${apiPort}/healthz`).then((r) => r.ok, () => false))) await sleep(200);
    while (scraping) {
      await sleep(SCRAPE_MS);
      if (!scraping) break;
      try {
        const [m, r] = await Promise.all([
          fetch(`http://127.0.0.1:${apiPort}/metrics`, { headers: { authorization: `Bearer ${scraper.token}` } }),
          fetch(`http://127.0.0.1:${apiPort}/readyz`),
        ]);
        await Promise.all([m.text(), r.text()]);
        if (m.ok) scrapes++;
        else scrapeFailures++;
      } catch {
        scrapeFailures++;
      }
    }
  })();

  const clients: ImapFlow[] = [];
  for (let i = 0; i < APPENDERS; i++) {
    const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await c.connect();
    clients.push(c);
  }
  // The ops server up before timing starts, like the rest.
  for (let i = 0; withOps && i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${apiPort}/healthz`).then((r) => r.ok, () => false)) break;
    await sleep(200);
  }
  // Timing starts once every worker has started (its queue lists it) and the
  // poller has looked at the mailbox: the figure is the pipeline's, not how
  // long processes take to start (which a busy machine stretches).
  {
    const r = new Redis(REDIS_URL);
    const cfg = loadConfig({ configFile, env: {} });
    const queues = createQueues(cfg, r);
    for (let i = 0; i < 300; i++) {
      const [t, n, a, polled] = await Promise.all([queues.triage.getWorkersCount(), queues.notify.getWorkersCount(), queues.alerts.getWorkersCount(), r.get(pollerCheckKey(prefix))]);
      if (t > 0 && n > 0 && a > 0 && polled) break;
      await sleep(100);
    }
    await queues.close();
    r.disconnect();
  }
  await sleep(1000);

  const appendedAt = new Map<string, number>();
  async function appendAll(samples: ReturnType<typeof buildSample>[], ratePerSec: number | null): Promise<void> {
    let next = 0;
    const start = Date.now();
    await Promise.all(
      clients.map(async (c) => {
        while (next < samples.length) {
          const i = next++;
          if (ratePerSec) {
            const due = start + (i * 1000) / ratePerSec;
            const wait = due - Date.now();
            if (wait > 0) await sleep(wait);
          }
          const s = samples[i]!;
          appendedAt.set(s.messageId, Date.now());
          await c.append('INBOX', s.raw);
        }
      }),
    );
  }


  function latencies(ids: string[]): number[] {
    return ids.map((id) => ackAt.get(id)! - appendedAt.get(id)!).sort((a, b) => a - b);
  }

  async function waitForMails(total: number, timeoutMs: number): Promise<void> {
    await sink.waitFor(total, timeoutMs);
  }

  // Phase 1: burst.
  // Each complaint about a page of its own (a case each, so a notice each), as on a real desk.
  const ownPage = (sample: ReturnType<typeof buildSample>, tag: string): ReturnType<typeof buildSample> => ({
    ...sample,
    raw: Buffer.from(sample.raw.toString('utf8').replace('http://www.example.test/', `http://${tag}.shop.test/`)),
  });
  const burst = Array.from({ length: N }, (_, i) => ownPage(buildSample('plain-en', i, `${prefix}-b`), `b${i}`));
  // CPU of each process over the burst alone (not its start-up): ours by role, and the services.
  const roles = ['notify', 'triage', 'poller', ...(withOps ? ['api'] : [])];
  const cpu0 = cpuOf(children.map((c) => c.pid!));
  const t0 = Date.now();
  await appendAll(burst, null);
  const appendSec = (Date.now() - t0) / 1000;
  await waitForMails(2 * N, 600_000);
  const lastMail = Math.max(...sink.mails.map((m) => m.receivedAt));
  const burstSec = (lastMail - t0) / 1000;
  const complaintsPerSec = N / burstSec;
  const cpu1 = cpuOf(children.map((c) => c.pid!));
  const cpuMsPerComplaint = Object.fromEntries(
    [...roles.map((r, i) => [r, (cpu1.own[i]! - cpu0.own[i]!) / N] as const), ['postgres', (cpu1.postgres - cpu0.postgres) / N] as const, ['redis', (cpu1.redis - cpu0.redis) / N] as const].map(([k, v]) => [k, Math.round(v * 100) / 100]),
  );
  const burstLat = latencies(burst.map((s) => s.messageId));

  // Phase 2: paced at half the burst rate.
  const pacedRate = Math.max(1, Math.floor(complaintsPerSec / 2));
  const pacedN = Math.max(100, Math.floor(N / 2));
  const paced = Array.from({ length: pacedN }, (_, i) => ownPage(buildSample('plain-en', i, `${prefix}-p`), `p${i}`));
  await appendAll(paced, pacedRate);
  await waitForMails(2 * N + 2 * pacedN, 600_000);
  const pacedLat = latencies(paced.map((s) => s.messageId));

  scraping = false;
  await scraperDone;
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  for (const c of clients) await c.logout().catch(() => undefined);
  const redis = new Redis(REDIS_URL);
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
  const cfg = loadConfig({ configFile, env: process.env });
  const pool = casePool(cfg.cases);
  await pool.query(`DROP SCHEMA IF EXISTS ${caseSchema} CASCADE`);
  await pool.end();
  await sink.close();
  await dovecot.stop();


  return { complaintsPerSec, pacedRate, pacedN, burstSec, pacedLat, burstLat, appendSec, mailsSent: sink.mails.length, scrapes, scrapeFailures, cpuMsPerComplaint };
}

type Run = Awaited<ReturnType<typeof runOnce>>;
const best: { plain: Run | null; ops: Run | null } = { plain: null, ops: null };
for (let i = 0; i < PAIRS; i++) {
  // Alternate which goes first, so a warming machine favours neither.
  for (const withOps of i % 2 ? [true, false] : [false, true]) {
    const r = await runOnce(withOps);
    const side = withOps ? 'ops' : 'plain';
    console.log(`${side}: ${N} complaints (${2 * N} mails) in ${r.burstSec.toFixed(2)} s = ${Math.round(r.complaintsPerSec)}/s; paced at ${r.pacedRate}/s: p50 ${percentile(r.pacedLat, 50)} ms, p99 ${percentile(r.pacedLat, 99)} ms${withOps ? `; ${r.scrapes} scrapes, ${r.scrapeFailures} failed` : ''}`);
    if (!best[side] || r.complaintsPerSec > best[side]!.complaintsPerSec) best[side] = r;
  }
}
const plain = best.plain!;
const ops = best.ops!;
const result = {
  n: N,
  complaintsPerSec: Math.round(plain.complaintsPerSec),
  complaintsPerSecWithOps: Math.round(ops.complaintsPerSec),
  // How much slower the desk is with the ops server scraped beside it (negative: faster, i.e. noise).
  opsCostPct: Math.round((1000 * (plain.complaintsPerSec - ops.complaintsPerSec)) / plain.complaintsPerSec) / 10,
  p50Ms: percentile(plain.pacedLat, 50),
  p99Ms: percentile(plain.pacedLat, 99),
  p50MsWithOps: percentile(ops.pacedLat, 50),
  p99MsWithOps: percentile(ops.pacedLat, 99),
  pacedRatePerSec: plain.pacedRate,
  pacedN: plain.pacedN,
  burstP50Ms: percentile(plain.burstLat, 50),
  burstP99Ms: percentile(plain.burstLat, 99),
  appendPerSec: Math.round(N / plain.appendSec),
  mailsSent: plain.mailsSent,
  scrapes: ops.scrapes,
  scrapeFailures: ops.scrapeFailures,
  scrapeMs: SCRAPE_MS,
  pairs: PAIRS,
  cpus: cpus().length,
  node: process.version,
  cpuMsPerComplaint: plain.cpuMsPerComplaint,
};
console.log(JSON.stringify(result));
