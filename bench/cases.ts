/**
 * Case store throughput and size: 100,000 reports assigned to cases through
 * the real PostgreSQL by 2 worker processes, in batches, into 10,000 cases of
 * 10 reports (each case's reports arrive spread over the run, from both
 * processes), from 20,000 reporters; 70% spam in 100 campaigns.
 * Uses its own schema (dropped at the end) in ABUSE_DESK_CASES_URL or
 * ABUSE_DESK_TEST_PG_URL or the default test database.
 * Each report carries its evidence (view, raw message, words), kept apart
 * from the case rows: bytesPerCase counts the rows, evidenceBytesPerReport
 * the evidence.
 * Last line: {"reports", "reportsPerSec", "bytesPerCase", "evidenceBytesPerReport", ...}; targets ≥ 2,000 reports/s, ≤ 4 KB per case.
 *
 * Run with: npm run bench:cases [-- --reports N --batch N]
 */
import { fork } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openCaseStore } from '../src/cases/case-db.ts';
import { caseKey, reporterHash, type ReportInput } from '../src/cases/plan-report.ts';
import { loadConfig } from '../src/config/load.ts';
import { gzipSync } from 'node:zlib';
import { packEvidence } from '../src/cases/evidence-pack.ts';
import { deadlineOf, refreshAllDeadlines } from '../src/ops/sla-deadlines.ts';
import type { ReportView } from '../src/cases/report-view.ts';

const { values } = parseArgs({ options: { reports: { type: 'string' }, batch: { type: 'string' }, worker: { type: 'string' }, schema: { type: 'string' }, start: { type: 'string' } } });
const REPORTS = Number(values.reports ?? 100_000);
const BATCH = Number(values.batch ?? 250);
const PROCESSES = 2;
const CASES = REPORTS / 10;
const url = process.env.ABUSE_DESK_CASES_URL ?? process.env.ABUSE_DESK_TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
const configFor = (schema: string) => loadConfig({ overrides: { cases: { database: url, schema, poolSize: 2 }, log: { level: 'silent' } }, env: {} });

/** Report i: case i % CASES, so each case's 10 reports come from across the run and both processes. */
function report(i: number, start: number): ReportInput {
  const target = i % CASES;
  const spam = target % 10 < 7;
  const category = spam ? 'spam' : 'phishing';
  const value = spam ? `198.51.${(target >> 8) & 255}.${target & 255}` : `site${target}.example.test`;
  const type = spam ? 'server' : 'domain';
  const reporter = `r${(i * 7919) % 20_000}@reporter${i % 50}.test`;
  const customer = `C${target % 1000}`;
  return {
    messageKey: `msg-${createHash('sha256').update(`bench-${i}`).digest('hex').slice(0, 32)}`,
    receivedAt: new Date(start + i).toISOString(),
    reporter: { hash: reporterHash(reporter), address: reporter, name: `Reporter ${i % 20_000}`, language: 'en' },
    trusted: false,
    category,
    priority: 'normal',
    automated: i % 3 === 0,
    evidence: createHash('sha256').update(`raw-${i}`).digest('hex'),
    escalate: null,
    links: [{ key: caseKey(customer, type, value, category), customerId: customer, targetType: type, targetValue: value, category, policy: 'notify' }],
    signals: spam ? [`${type}:${value}`, `domain:campaign${target % 100}.test`] : [],
    why: ['bench'],
    kept: evidenceOf(i, reporter, value, category),
  };
}

/** A report as the store keeps it beside the case rows: its view, its raw message (both compressed), its words. */
function evidenceOf(i: number, reporter: string, value: string, category: 'spam' | 'phishing') {
  const text = `Hello,\n\nThis ${category === 'spam' ? 'server keeps sending me spam' : 'site is a phishing page'}: ${value} (report ${i}).\nThe original message is attached below.\n\n`;
  const raw = Buffer.from(`From: Reporter <${reporter}>\r\nTo: abuse@example.net\r\nSubject: abuse from ${value}\r\nMessage-ID: <bench.${i}@reporter.test>\r\n\r\n${text}${'Received: from mail.example.test by mx.reporter.test; Tue, 1 Dec 2026 10:00:00 +0000\r\n'.repeat(12)}`);
  const view: ReportView = {
    subject: `abuse from ${value}`, date: null, messageId: `<bench.${i}@reporter.test>`, from: { name: 'Reporter', address: reporter }, replyTo: null, text, html: false,
    attachments: [{ filename: null, contentType: 'message/rfc822', size: 1500 }], truncated: false, category,
    targets: [{ type: category === 'spam' ? 'server' : 'domain', value, role: 'reported', why: 'bench', customerId: null, reason: null, seen: [value] }], why: ['bench'],
  };
  return packEvidence(view, gzipSync(raw), raw.length);
}

if (values.worker !== undefined) {
  // A worker process: its share of the reports, in batches, two batches in flight.
  const w = Number(values.worker);
  // As the triage worker opens it: with the SLA policy, so a case is written with its deadline.
  const store = await openCaseStore(configFor(values.schema!), { deadlineOf: deadlineOf(configFor(values.schema!).sla) });
  const mine: number[] = [];
  for (let i = w; i < REPORTS; i += PROCESSES) mine.push(i);
  // Dated by the parent relative to now: reports older than cases.joinWindowSec would close their cases as quiet.
  const start = Number(values.start);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < mine.length) {
      const batch = mine.slice(next, next + BATCH);
      next += BATCH;
      await store.assign(batch.map((i) => report(i, start)));
    }
  };
  await Promise.all([lane(), lane()]);
  await store.end();
  process.exit(0);
}

const schema = `bench_cases_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const store = await openCaseStore(configFor(schema));
try {
  const t0 = performance.now();
  // Report i arrived i ms after start, the last one a moment ago: within every window the case rules apply, whatever today's date.
  const start = Date.now() - REPORTS - 60_000;
  const children = Array.from({ length: PROCESSES }, (_, w) =>
    fork(new URL(import.meta.url).pathname, ['--worker', String(w), '--schema', schema, '--reports', String(REPORTS), '--batch', String(BATCH), '--start', String(start)], { execArgv: ['--import', 'tsx'] }),
  );
  const codes = await Promise.all(children.map((c) => new Promise<number | null>((resolve) => c.once('exit', resolve))));
  const seconds = (performance.now() - t0) / 1000;
  if (codes.some((c) => c !== 0)) throw new Error(`a worker failed: exit codes ${codes.join(', ')}`);
  const q = async (sql: string, args: unknown[] = []) => (await store.pool.query(sql, args)).rows[0];
  const counts = await q(`SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM reports) AS reports, (SELECT sum(report_count)::int FROM cases) AS counted,
    (SELECT count(DISTINCT campaign_id)::int FROM cases WHERE campaign_id IS NOT NULL) AS campaigns`);
  if (counts.reports !== REPORTS || counts.counted !== REPORTS || counts.cases !== CASES) throw new Error(`wrong totals: ${JSON.stringify(counts)}`);
  // The case rows (everything but the evidence, kept apart: report_evidence, case_mails), and the evidence on its own.
  const APART = ['report_evidence', 'case_mails'];
  const size = async (): Promise<number> =>
    Number((await q(`SELECT sum(pg_total_relation_size(c.oid))::bigint AS b FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' AND NOT c.relname = ANY($2)`, [schema, APART])).b);
  const evidenceBytes = async (): Promise<number> => Number((await q(`SELECT pg_total_relation_size($1::regclass)::bigint AS b`, [`${schema}.report_evidence`])).b);
  // As a running desk holds them: the triage processes re-derive the stale deadlines every second.
  await refreshAllDeadlines(store.pool, configFor(schema).sla, 1000);
  const bytesRaw = await size();
  // What a running system holds once autovacuum has reclaimed the row versions left by updates.
  await store.pool.query(`VACUUM ${['cases', 'reports', 'case_reporters', 'reporters', 'case_events', 'campaign_signals', 'campaigns', 'report_evidence'].map((t) => `${schema}.${t}`).join(', ')}`);
  const bytes = await size();
  const rels = await store.pool.query(
    `SELECT c.relname, pg_relation_size(c.oid)::bigint AS heap, (pg_total_relation_size(c.oid) - pg_relation_size(c.oid))::bigint AS rest
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 2 DESC`,
    [schema],
  );
  const rowBytes = await q(`SELECT (SELECT avg(pg_column_size(c.*))::int FROM ${schema}.cases c) AS cases, (SELECT avg(pg_column_size(r.*))::int FROM ${schema}.reports r) AS reports,
    (SELECT avg(pg_column_size(e.*))::int FROM ${schema}.case_events e) AS events, (SELECT count(*)::int FROM ${schema}.case_events) AS nevents`);
  console.log(`average row: ${JSON.stringify(rowBytes)}`);
  for (const r of rels.rows) console.log(`${r.relname.padEnd(24)} table ${(Number(r.heap) / counts.cases).toFixed(0).padStart(6)} B/case   indexes+toast ${(Number(r.rest) / counts.cases).toFixed(0).padStart(6)} B/case`);
  console.log(
    JSON.stringify({
      reports: REPORTS,
      reportsPerSec: Math.round(REPORTS / seconds),
      bytesPerCase: Math.round(bytes / counts.cases),
      bytesPerCaseBeforeVacuum: Math.round(bytesRaw / counts.cases),
      evidenceBytesPerReport: Math.round((await evidenceBytes()) / counts.reports),
      cases: counts.cases,
      campaigns: counts.campaigns,
      processes: PROCESSES,
      batch: BATCH,
      seconds: Math.round(seconds * 10) / 10,
    }),
  );
} finally {
  // BENCH_KEEP_SCHEMA=1 keeps the filled schema to look at (its name is printed); drop it by hand afterwards.
  if (process.env.BENCH_KEEP_SCHEMA) console.error(`kept schema ${schema}`);
  else await store.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await store.end();
}
