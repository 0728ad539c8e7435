/**
 * The board and the API at scale: 1,000,000 cases (100,000 open), 10,000
 * customers, one report each (its Message-ID and words indexed for search;
 * the open cases' reports readable), loaded through the real schema (its
 * migrations, triggers and indexes), the open cases' deadlines derived by
 * the desk's own code. Then `abuse-desk api` runs as a child process and
 * each request is timed over HTTP: the open-case list (first page and the
 * next), each filter, searches by target, domain suffix, Message-ID and
 * words, and a case page (board HTML and its JSON). The API's resident
 * memory is read from /proc once the requests are done.
 *
 * Uses its own schema (dropped at the end) in ABUSE_DESK_CASES_URL or
 * ABUSE_DESK_TEST_PG_URL or the default test database, and Redis at
 * ABUSE_DESK_TEST_REDIS_URL (a prefix of its own).
 * Last line: {"p95Ms": {...}, "medianMs": {...}, "rssMB", ...}; targets: every p95 under 100 ms, rssMB under 300.
 *
 * Run with: npm run bench:board [-- --cases N --runs N]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { openCaseStore } from '../src/cases/case-db.ts';
import { loadConfig } from '../src/config/load.ts';
import { rederiveDeadlines } from '../src/ops/sla-deadlines.ts';
import { newToken, tokenHash } from '../src/operators/tokens.ts';

const { values } = parseArgs({ options: { cases: { type: 'string' }, runs: { type: 'string' } } });
const CASES = Number(values.cases ?? 1_000_000);
const OPEN_EVERY = 10; // one case in ten is open
const CUSTOMERS = 10_000;
const RUNS = Number(values.runs ?? 40);
const url = process.env.ABUSE_DESK_CASES_URL ?? process.env.ABUSE_DESK_TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
const redisUrl = process.env.ABUSE_DESK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BIN = new URL('../bin/abuse-desk.js', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

const schema = `bench_board_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const config = loadConfig({ overrides: { cases: { database: url, schema, poolSize: 4 }, log: { level: 'silent' } }, env: {} });
const store = await openCaseStore(config);
const q = (sql: string, args: unknown[] = []) => store.pool.query(sql, args);
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
};

const dir = mkdtempSync(join(tmpdir(), 'bench-board-'));
let api: ReturnType<typeof spawn> | null = null;
try {
  const t0 = performance.now();
  // What an open case's report holds, compressed as the store keeps it: the case page unpacks it.
  const view = (i: number) => ({
    subject: `Phishing page on your network (${i})`, date: null, messageId: `bench.${i}@reporter.test`, from: { name: 'A Reporter', address: `r${i % 100_000}@reporter.test` }, replyTo: null,
    text: `Hello,\n\nThis page imitates a bank and steals passwords: http://h${i}.host${i % 1000}.test/login\n\nI declare in good faith that this is accurate.\n`.repeat(3),
    html: false, attachments: [], truncated: false, category: 'phishing',
    targets: [{ type: 'server', value: `h${i}.host${i % 1000}.test`, role: 'reported', why: 'named as the abusive page', customerId: `C${i % CUSTOMERS}`, reason: 'hosted', seen: [`http://h${i}.host${i % 1000}.test/login`] }],
    why: ['bench'],
  });
  const sample = gzipSync(JSON.stringify(view(0)));
  console.error(`loading ${CASES} cases into ${schema}… (a view of ${sample.length} B per open report)`);

  // Cases: one in ten open (statuses of work in progress), the rest resolved or closed; targets unique; owners on a third of the open ones.
  await q(`INSERT INTO reporters (address_hash, address, name, first_seen, last_seen)
           SELECT sha256(convert_to('r' || g || '@reporter.test', 'UTF8')), 'r' || g || '@reporter.test', 'Reporter ' || g, now(), now() FROM generate_series(0, 99999) g`);
  for (let from = 1; from <= CASES; from += 100_000) {
    const to = Math.min(CASES, from + 99_999);
    await q(
      `INSERT INTO cases (ref, customer_id, target_type, target_value, category, policy, status, priority, first_seen, last_seen, opened_at, closed_at, outcome, report_count, reporter_count, max_from_one, owner, sla_stale)
       SELECT 'AD-2026-' || lpad(g::text, 7, '0'), 'C' || (g % ${CUSTOMERS}), 'server', 'h' || g || '.host' || (g % 1000) || '.test', cat, 'notify',
              CASE WHEN g % ${OPEN_EVERY} = 0 THEN (ARRAY['open', 'awaiting_review', 'waiting_customer', 'customer_answered'])[1 + (g / ${OPEN_EVERY}) % 4] WHEN g % 7 = 0 THEN 'resolved' ELSE 'closed' END,
              (ARRAY['urgent', 'high', 'normal', 'normal', 'low'])[1 + (g / 50) % 5], at, at, at,
              CASE WHEN g % ${OPEN_EVERY} = 0 THEN NULL ELSE at + interval '2 days' END,
              CASE WHEN g % ${OPEN_EVERY} = 0 THEN NULL WHEN g % 7 = 0 THEN 'action_taken' ELSE 'quiet' END, 1, 1, 1,
              CASE WHEN g % ${OPEN_EVERY} = 0 AND g % 3 = 0 THEN 'agent' || (g % 20) END,
              g % ${OPEN_EVERY} = 0
       FROM (SELECT g, (ARRAY['spam', 'phishing', 'malware', 'copyright', 'fraud'])[1 + (g / 10) % 5] AS cat, now() - make_interval(secs => (g % 2592000)) AS at FROM generate_series($1::int, $2::int) g) x`,
      [from, to],
    );
    await q(
      `INSERT INTO reports (received_at, case_id, reporter_id, message_key, automated, evidence)
       SELECT c.opened_at, c.id, 1 + c.id % 100000, md5('bench-' || c.id)::uuid, c.id % 3 = 0, decode(md5('raw-' || c.id), 'hex') FROM cases c WHERE c.id BETWEEN $1 AND $2`,
      [from, to],
    );
    await q(`INSERT INTO case_reporters (case_id, reporter_id, reports) SELECT id, 1 + id % 100000, 1 FROM cases WHERE id BETWEEN $1 AND $2`, [from, to]);
    // Every report searchable (Message-ID, words); an open case's report readable too.
    await q(
      `INSERT INTO report_evidence (message_key, message_id, raw_bytes, view_gz, search)
       SELECT md5('bench-' || c.id)::uuid, 'bench.' || c.id || '@reporter.test', 2400, CASE WHEN c.closed_at IS NULL THEN $3::bytea END,
              to_tsvector('english', w) || to_tsvector('french', w)
       FROM (SELECT id, closed_at, 'page ' || (ARRAY['bank', 'parcel', 'crypto', 'pharmacy', 'lottery', 'invoice', 'streaming', 'telecom'])[1 + id % 8] || ' login token' || id AS w FROM cases WHERE id BETWEEN $1 AND $2) c`,
      [from, to, sample],
    );
    console.error(`  ${to} cases (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  const derived = await rederiveDeadlines(store.pool, config.sla);
  await q(`VACUUM ANALYZE ${['cases', 'reports', 'case_reporters', 'reporters', 'report_evidence'].map((t) => `${schema}.${t}`).join(', ')}`);
  const loadSec = Math.round((performance.now() - t0) / 1000);
  console.error(`loaded in ${loadSec} s; ${derived} deadlines derived`);

  // The API, as a desk runs it.
  const port = await freePort();
  const { token, line: _line } = newToken('bench', 'agent');
  const configFile = join(dir, 'bench.yaml');
  writeFileSync(
    configFile,
    stringify({
      redis: { url: redisUrl, prefix: `bench-board-${randomUUID().slice(0, 8)}` },
      cases: { database: url, schema },
      directory: { source: join(ROOT, 'config/customers.example.yaml'), watch: false },
      log: { level: 'warn' },
      api: { host: '127.0.0.1', port, operators: [{ name: 'bench', role: 'agent', tokenSha256: tokenHash(token) }] },
    }),
  );
  api = spawn(process.execPath, [BIN, 'api', '--config', configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/healthz`).catch(() => null))?.ok) break;
    if (i > 300) throw new Error('the API did not start');
    await sleep(100);
  }

  // A board session, signed in through its form.
  const login = await fetch(`${base}/board/login`);
  const signInCookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const signedIn = await fetch(`${base}/board/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: signInCookie, origin: base },
    body: new URLSearchParams({ operator: 'bench', token, csrf }),
  });
  const session = (signedIn.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).filter((c) => !/^[^=]+=$/.test(c!)).join('; ');
  if (signedIn.status !== 303) throw new Error(`board sign-in: ${signedIn.status}`);

  const auth = { authorization: `Bearer ${token}` };
  const get = async (path: string, headers: Record<string, string> = auth): Promise<{ ms: number; body: string }> => {
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { headers });
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    return { ms, body };
  };
  const page2 = JSON.parse((await get('/api/queue?limit=200')).body).next as string;
  const openRef = (i: number) => `AD-2026-${String((1 + (i * 7919) % (CASES / OPEN_EVERY)) * OPEN_EVERY).padStart(7, '0')}`;
  const requests: Record<string, (i: number) => [string, Record<string, string>?]> = {
    queue: () => ['/api/queue?limit=200'],
    queueNextPage: () => [`/api/queue?limit=200&after=${page2}`],
    filterPriority: () => ['/api/queue?priority=urgent&limit=200'],
    filterCategory: () => ['/api/queue?category=phishing&limit=200'],
    filterStatus: () => ['/api/queue?status=awaiting_review&limit=200'],
    filterCustomer: (i) => [`/api/queue?customer=C${(i * 37) % CUSTOMERS}&limit=200`],
    filterBreached: () => ['/api/queue?due=breached&limit=200'],
    filterUnassigned: () => ['/api/queue?owner=-&limit=200'],
    filterOwner: (i) => [`/api/queue?owner=agent${i % 20}&limit=200`],
    filterResolved: () => ['/api/queue?status=resolved&limit=200'],
    searchTarget: (i) => [`/api/search?q=h${1 + ((i * 104729) % CASES)}.host${(1 + ((i * 104729) % CASES)) % 1000}.test`],
    searchSuffix: (i) => [`/api/search?q=host${i % 1000}.test`],
    searchMessageId: (i) => [`/api/search?q=${encodeURIComponent(`<bench.${1 + ((i * 7919) % CASES)}@reporter.test>`)}`],
    searchWords: (i) => [`/api/search?q=${encodeURIComponent(`token${1 + ((i * 7919) % CASES)}`)}`],
    searchCommonWords: () => [`/api/search?q=${encodeURIComponent('parcel login')}`],
    boardList: () => ['/board', { cookie: session }],
    casePage: (i) => [`/board/cases/${openRef(i)}`, { cookie: session }],
    caseJson: (i) => [`/api/cases/${openRef(i)}`],
    caseReports: (i) => [`/api/cases/${openRef(i)}/reports`],
  };
  const p95Ms: Record<string, number> = {};
  const medianMs: Record<string, number> = {};
  for (const [name, make] of Object.entries(requests)) {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 3; i++) {
      const [path, headers] = make(i);
      const { ms } = await get(path, headers);
      if (i >= 3) times.push(ms); // the first few warm the connection and the plan cache
    }
    p95Ms[name] = percentile(times, 95);
    medianMs[name] = percentile(times, 50);
  }
  const status = readFileSync(`/proc/${api.pid}/status`, 'utf8');
  const rssMB = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
  const worst = Object.entries(p95Ms).sort((a, b) => b[1] - a[1])[0]!;
  console.log(JSON.stringify({ cases: CASES, open: CASES / OPEN_EVERY, customers: CUSTOMERS, runs: RUNS, loadSec, worstP95: { [worst[0]]: worst[1] }, p95Ms, medianMs, rssMB }));
} finally {
  api?.kill('SIGTERM');
  await sleep(300);
  // BENCH_KEEP_SCHEMA=1 keeps the filled schema to look at (its name is printed); drop it by hand afterwards.
  if (process.env.BENCH_KEEP_SCHEMA) console.error(`kept schema ${schema}`);
  else await q(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await store.end();
  rmSync(dir, { recursive: true, force: true });
}
