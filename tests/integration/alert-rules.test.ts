import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { startApi } from '../../src/http/start-api.ts';
import { loadConfig } from '../../src/config/load.ts';
import { freePort } from '../../src/dev/dovecot.ts';
import { operator } from '../support/operators.ts';
import { startStack, type Stack } from '../support/stack.ts';

const RULES = new URL('../../deploy/prometheus/abuse-desk-rules.yaml', import.meta.url).pathname;
const SCRAPE_CONFIG = new URL('../../deploy/prometheus/prometheus.yml', import.meta.url).pathname;
const viewer = operator('prometheus', 'viewer');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations?: unknown;
}
const rules: Rule[] = (parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);

/** `name{a="b"} 1` lines of a scrape, as series (labels as written) and values. */
function parseScrape(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{.*\})? (\S+)$/.exec(line);
    if (m) out.set(`${m[1]}${m[2] ?? '{}'}`, Number(m[3]));
  }
  return out;
}

/** A series as a real scrape config labels it (job and instance added). */
const scraped = (series: string): string => series.replace(/\{(.*)\}$/, (_, inner: string) => `{${inner ? `${inner},` : ''}job="abuse-desk",instance="desk:8080"}`);

/** What one alert needs to fire: series values that differ from the fresh desk's, when to look, and the alert's labels then. */
interface Condition {
  alert: string;
  series: Record<string, string>;
  at: string;
  labels: Record<string, string>;
}
const scrapeLabels = { job: 'abuse-desk', instance: 'desk:8080' };
const defaults = loadConfig({ env: {} }).sla;
const SHORTEST_WARNING_SEC = Math.min(
  ...[defaults.acknowledgeSec, ...(['noticeSec', 'reviewSec', 'resolveSec'] as const).flatMap((k) => Object.values(defaults[k]))].map((limit) => limit * (1 - defaults.warnAt)),
);
// promtool's clock starts at 0: a heartbeat at 60 s is 9 min old at 10m.
const CONDITIONS: Condition[] = [
  { alert: 'AbuseDeskSlaBreach', series: { 'abuse_desk_sla_breaches{clock="acknowledge"}': '20+0x120' }, at: '1m', labels: { clock: 'acknowledge' } },
  // A warning lasts from sla.warnAt to the deadline: the rule must fire within the shortest such window of the defaults.
  { alert: 'AbuseDeskSlaWarning', series: { 'abuse_desk_sla_warnings{clock="acknowledge"}': '20+0x120' }, at: `${Math.floor(SHORTEST_WARNING_SEC / 60)}m`, labels: { clock: 'acknowledge' } },
  { alert: 'AbuseDeskJobWaitingTooLong', series: { 'abuse_desk_queue_oldest_waiting_seconds{queue="notify"}': '400+0x120' }, at: '5m', labels: { queue: 'notify', ...scrapeLabels } },
  { alert: 'AbuseDeskPollerNotFetching', series: { 'abuse_desk_poller_last_check_timestamp_seconds{}': '60+0x120' }, at: '10m', labels: scrapeLabels },
  { alert: 'AbuseDeskPollerNeverChecked', series: {}, at: '20m', labels: scrapeLabels },
  { alert: 'AbuseDeskPollerDisconnected', series: { 'abuse_desk_poller_last_check_timestamp_seconds{}': '60+0x120', 'abuse_desk_poller_connected{}': '0+0x120' }, at: '10m', labels: scrapeLabels },
  { alert: 'AbuseDeskMailFailureRate', series: { 'abuse_desk_mails_total{kind="acknowledgement",result="relay_failed"}': '0+10x120' }, at: '30m', labels: {} },
  {
    alert: 'AbuseDeskAcknowledgementsSlow',
    series: Object.fromEntries(['3600', '14400', '86400', '+Inf'].map((le) => [`abuse_desk_stage_seconds_bucket{stage="acknowledged",le="${le}"}`, '0+10x120'])),
    at: '60m',
    labels: {},
  },
  { alert: 'AbuseDeskOutage', series: { 'abuse_desk_outages_total{service="store"}': '0x10 1+0x110' }, at: '15m', labels: { service: 'store' } },
  { alert: 'AbuseDeskDirectoryReloadFailing', series: { 'abuse_desk_directory_failed_reloads{}': '0x10 1+0x110' }, at: '20m', labels: scrapeLabels },
  { alert: 'AbuseDeskDeadLetters', series: { 'abuse_desk_dead_letter_jobs{}': '3+0x120' }, at: '1m', labels: scrapeLabels },
  { alert: 'AbuseDeskFailedJobs', series: { 'abuse_desk_queue_jobs{queue="triage",state="failed"}': '2+0x120' }, at: '1m', labels: { queue: 'triage', state: 'failed', ...scrapeLabels } },
  { alert: 'AbuseDeskRedisMemoryHigh', series: { 'abuse_desk_redis_maxmemory_bytes{}': '1000+0x120', 'abuse_desk_redis_memory_used_bytes{}': '900+0x120' }, at: '15m', labels: scrapeLabels },
  { alert: 'AbuseDeskRedisUnbounded', series: { 'abuse_desk_redis_maxmemory_bytes{}': '0+0x120' }, at: '70m', labels: scrapeLabels },
  { alert: 'AbuseDeskSignInFailures', series: { 'abuse_desk_signins_total{result="failed"}': '0+5x120' }, at: '20m', labels: {} },
];

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr })));
}

/**
 * The shipped alert rules against Prometheus's own engine (Debian's
 * prometheus and promtool), with the series of a real scrape of a fresh
 * desk: on the fresh desk no critical alert fires; for every rule, the
 * series changed to its condition make it fire, with the labels ops route
 * on. A real Prometheus then scrapes the API with deploy/prometheus/prometheus.yml
 * (a viewer's token through authorization.credentials_file) and loads the rules.
 */
describe('the shipped alert rules fire on their conditions, and nothing critical on a fresh desk', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  let dir: string;
  let scrape: Map<string, number>;
  let bareRules: string;

  before(async () => {
    stack = await startStack({ api: { host: '127.0.0.1', port: 0, operators: [viewer.entry] } });
    // A fresh desk: the API alone, no mail yet, no poller heartbeat yet.
    api = await startApi(stack.runtime);
    const res = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${viewer.token}` } });
    assert.equal(res.status, 200);
    scrape = parseScrape(await res.text());
    dir = mkdtempSync(join(tmpdir(), 'abuse-desk-rules-'));
    // promtool compares annotations too; the conditions are what is tested here (promtool check rules reads the templates).
    const doc = parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> };
    for (const g of doc.groups) for (const r of g.rules) delete r.annotations;
    bareRules = join(dir, 'rules.yaml');
    writeFileSync(bareRules, stringify(doc));
  });

  after(async () => {
    await api?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const seriesWith = (overrides: Record<string, string>) =>
    [...scrape].map(([series, value]) => ({ series: scraped(series), values: overrides[series] ?? `${value}+0x120` })).concat(
      Object.entries(overrides)
        .filter(([s]) => !scrape.has(s))
        .map(([series, values]) => ({ series: scraped(series), values })),
    );

  it('checks: every rule is valid, and the scrape has every series the rules name', async () => {
    const check = await run('promtool', ['check', 'rules', RULES]);
    assert.equal(check.code, 0, check.out);
    const names = new Set([...scrape.keys()].map((s) => s.replace(/\{.*$/, '')));
    for (const r of rules) for (const used of r.expr.match(/abuse_desk_[a-z_]+/g) ?? []) assert.ok(names.has(used), `${r.alert} uses ${used}, which the scrape lacks`);
    assert.ok(names.has('abuse_desk_mails_total') && [...scrape.keys()].some((k) => k.startsWith('abuse_desk_mails_total{kind="notice",result="relay_failed"}')), 'mail counters are exported at 0 from the start');
    assert.deepEqual(
      CONDITIONS.map((c) => c.alert).sort(),
      rules.map((r) => r.alert).sort(),
      'a condition for every shipped rule',
    );
  });

  it('fires nothing critical on a fresh desk', async () => {
    const critical = rules.filter((r) => r.labels.severity === 'critical');
    assert.ok(critical.length >= 5);
    const test = {
      rule_files: [bareRules],
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: seriesWith({}), alert_rule_test: ['5m', '30m', '90m'].flatMap((at) => critical.map((r) => ({ eval_time: at, alertname: r.alert, exp_alerts: [] }))) }],
    };
    const file = join(dir, 'fresh.yaml');
    writeFileSync(file, stringify(test));
    const res = await run('promtool', ['test', 'rules', file]);
    assert.equal(res.code, 0, res.out);
  });

  it('makes every rule fire on its condition', async () => {
    const test = {
      rule_files: [bareRules],
      evaluation_interval: '1m',
      tests: CONDITIONS.map((c) => {
        const rule = rules.find((r) => r.alert === c.alert)!;
        return {
          name: c.alert,
          interval: '1m',
          input_series: seriesWith(c.series),
          alert_rule_test: [{ eval_time: c.at, alertname: c.alert, exp_alerts: [{ exp_labels: { severity: rule.labels.severity, ...c.labels } }] }],
        };
      }),
    };
    const file = join(dir, 'conditions.yaml');
    writeFileSync(file, stringify(test));
    const res = await run('promtool', ['test', 'rules', file]);
    assert.equal(res.code, 0, res.out);
  });

  it('is scraped by a real Prometheus with the shipped scrape config, the rules loaded', async () => {
    const port = await freePort();
    const token = join(dir, 'abuse-desk.token');
    writeFileSync(token, `${viewer.token}\n`, { mode: 0o600 });
    const cfg = parse(readFileSync(SCRAPE_CONFIG, 'utf8')) as { global: Record<string, string>; rule_files: string[]; scrape_configs: Array<{ authorization: { credentials_file: string }; static_configs: Array<{ targets: string[] }> }> };
    cfg.global.scrape_interval = '1s';
    cfg.global.evaluation_interval = '1s';
    cfg.rule_files = [RULES];
    cfg.scrape_configs[0]!.authorization.credentials_file = token;
    cfg.scrape_configs[0]!.static_configs[0]!.targets = [new URL(api.url).host];
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, stringify(cfg));
    const prom: ChildProcess = spawn('prometheus', [`--config.file=${file}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    try {
      const q = async (path: string): Promise<any> => (await (await fetch(`http://127.0.0.1:${port}${path}`)).json()) as any;
      let up: any = null;
      for (let i = 0; i < 60; i++) {
        await sleep(500);
        up = await q('/api/v1/query?query=up').catch(() => null);
        if (up?.data?.result?.[0]?.value?.[1] === '1') break;
      }
      assert.equal(up?.data?.result?.[0]?.value?.[1], '1', `the target is up: ${JSON.stringify(up)}`);
      const targets = await q('/api/v1/targets');
      assert.equal(targets.data.activeTargets[0].health, 'up', JSON.stringify(targets.data.activeTargets[0]));
      const series = await q('/api/v1/query?query=abuse_desk_queue_jobs');
      assert.ok(series.data.result.length >= 4, 'the desk\'s series are stored');
      const loaded = await q('/api/v1/rules');
      const names = loaded.data.groups.flatMap((g: any) => g.rules.map((r: any) => r.name));
      assert.deepEqual(names.sort(), rules.map((r) => r.alert).sort());
      // A scrape without the token is refused: the config's credentials are what let Prometheus in.
      assert.equal((await fetch(`${api.url}/metrics`)).status, 401);
    } finally {
      prom.kill('SIGTERM');
      await new Promise((r) => prom.once('exit', r));
    }
  });
});
