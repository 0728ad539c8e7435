import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { openCaseStore } from '../../src/cases/case-db.ts';
import { exportCases, listCases, showCase } from '../../src/cases/case-queries.ts';
import type { CaseStore } from '../../src/cases/case-store.ts';
import { caseKey, reporterHash, type ReportInput } from '../../src/cases/plan-report.ts';
import { migrations } from '../../src/cases/migrate.ts';
import { dropSchema, PG_URL } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;
const key = (s: string): string => `msg-${createHash('sha256').update(s).digest('hex').slice(0, 32)}`;

/** A report about one server target of customer C1 (or the given links). */
function report(id: string, reporter: string, over: Partial<ReportInput> = {}): ReportInput {
  return {
    messageKey: key(id),
    receivedAt: new Date().toISOString(),
    reporter: { hash: reporterHash(reporter), address: reporter, name: `Name of ${reporter}`, language: 'en' },
    trusted: false,
    category: 'spam',
    priority: 'normal',
    automated: false,
    evidence: createHash('sha256').update(id).digest('hex'),
    escalate: null,
    links: [{ key: caseKey('C1', 'server', '192.0.2.1', 'spam'), customerId: 'C1', targetType: 'server', targetValue: '192.0.2.1', category: 'spam', policy: 'notify' }],
    signals: [],
    why: ['test'],
    ...over,
  };
}

describe('case store on PostgreSQL', () => {
  let config: Readonly<Config>;
  let store: CaseStore;
  const others: CaseStore[] = [];

  before(async () => {
    config = loadConfig({
      overrides: { cases: { database: PG_URL, schema: `t_store_${randomUUID().replace(/-/g, '').slice(0, 12)}` }, log: { level: 'silent' } },
      env: {},
    });
    store = await openCaseStore(config);
    for (let i = 0; i < 3; i++) others.push(await openCaseStore(config));
  });
  after(async () => {
    if (!store) return;
    await dropSchema(store.pool, config.cases.schema);
    for (const s of [store, ...others]) await s.end();
  });

  it('migrates once, and again is a no-op', async () => {
    const versions = (await store.pool.query('SELECT version FROM case_store_migrations ORDER BY version')).rows.map((r) => r.version);
    assert.deepEqual(versions, migrations().map((m) => m.version));
    const again = await openCaseStore(config);
    await again.end();
  });

  it('gives a human-friendly reference, and a retried report changes nothing', async () => {
    const r = report('retry-1', 'a@reporter.test', { links: [{ key: caseKey('C9', 'domain', 'retry.test', 'phishing'), customerId: 'C9', targetType: 'domain', targetValue: 'retry.test', category: 'phishing', policy: 'notify' }] });
    const [first] = await store.assign([r]);
    assert.match(first!.cases[0]!.ref, new RegExp(`^AD-${new Date().getFullYear()}-\\d{6}$`));
    assert.equal(first!.cases[0]!.created, true);
    assert.deepEqual(first!.notices.map((n) => n.seq), [1]);
    const [second] = await store.assign([r]);
    assert.equal(second!.replay, true);
    assert.equal(second!.cases[0]!.ref, first!.cases[0]!.ref);
    assert.equal(second!.cases[0]!.reportCount, 1);
    assert.deepEqual(second!.notices, first!.notices, 'a replay repeats the same notice (same mail id), no new one');
    const shown = await showCase(store.pool, first!.cases[0]!.ref);
    assert.equal(shown!.reports, 1);
    assert.equal(shown!.reportsList.length, 1);
    assert.equal(shown!.reportsList[0]!.messageKey, r.messageKey, 'the evidence reference is the message key triage and the logs use');
    assert.equal(shown!.reportsList[0]!.evidence, `sha256:${r.evidence!.slice(0, 32)}…`);
  });

  it('aggregates 200 concurrent reports from 50 reporters into one case, one notice, priority raised', async () => {
    const links = [{ key: caseKey('C1', 'server', '198.51.100.7', 'spam'), customerId: 'C1', targetType: 'server' as const, targetValue: '198.51.100.7', category: 'spam' as const, policy: 'notify' as const }];
    const reports = Array.from({ length: 200 }, (_, i) => report(`conc-${i}`, `r${i % 50}@reporter.test`, { links }));
    const stores = [store, ...others];
    // Four pools assigning at once, one report per transaction, as four workers would.
    const outcomes = (await Promise.all(stores.map((s, w) => (async () => {
      const out = [];
      for (let i = w; i < reports.length; i += stores.length) out.push(...(await s.assign([reports[i]!])));
      return out;
    })()))).flat();
    const refs = new Set(outcomes.map((o) => o.cases[0]!.ref));
    assert.equal(refs.size, 1, `one case, not ${[...refs].join(', ')}`);
    const [c] = await listCases(store.pool, { customer: 'C1' }).then((rows) => rows.filter((r) => r.target === '198.51.100.7'));
    assert.equal(c!.reports, 200);
    assert.equal(c!.reporters, 50);
    assert.equal(c!.priority, 'urgent', 'raise.urgent.reporters (50) reached');
    const notices = outcomes.flatMap((o) => o.notices);
    assert.equal(notices.filter((n) => n.seq === 1).length, 1, 'exactly one first notice');
    assert.ok(notices.length <= 2, `at most one update: ${notices.length}`);
    const escalations = outcomes.filter((o) => o.escalation);
    assert.equal(escalations.length, 1, 'escalated once when it became urgent');
  });

  it('closes a case quiet past the join window, and a new report opens a new one', async () => {
    const links = [{ key: caseKey('C2', 'server', '203.0.113.5', 'spam'), customerId: 'C2', targetType: 'server' as const, targetValue: '203.0.113.5', category: 'spam' as const, policy: 'notify' as const }];
    const old = new Date(Date.now() - (config.cases.joinWindowSec + 60) * 1000);
    const [a] = await store.assign([report('quiet-1', 'q@reporter.test', { links, receivedAt: old.toISOString() })], old);
    const [b] = await store.assign([report('quiet-2', 'q@reporter.test', { links })]);
    assert.notEqual(b!.cases[0]!.ref, a!.cases[0]!.ref);
    const first = await showCase(store.pool, a!.cases[0]!.ref);
    assert.equal(first!.status, 'closed');
    assert.equal(first!.outcome, 'quiet');
  });

  it('links spam cases sharing a signal into one campaign, merging campaigns that meet', async () => {
    const link = (ip: string) => [{ key: caseKey('C3', 'server', ip, 'spam'), customerId: 'C3', targetType: 'server' as const, targetValue: ip, category: 'spam' as const, policy: 'notify' as const }];
    const [x] = await store.assign([report('camp-1', 'c1@reporter.test', { links: link('192.0.2.101'), signals: ['server:192.0.2.101', 'domain:pills-a.test'] })]);
    const [y] = await store.assign([report('camp-2', 'c2@reporter.test', { links: link('192.0.2.102'), signals: ['server:192.0.2.102', 'domain:pills-b.test'] })]);
    assert.notEqual(x!.cases[0]!.campaignId, y!.cases[0]!.campaignId, 'nothing shared yet');
    // A third report shares a signal with each: the two campaigns become one.
    const [z] = await store.assign([report('camp-3', 'c3@reporter.test', { links: link('192.0.2.103'), signals: ['domain:pills-a.test', 'domain:pills-b.test', 'server:192.0.2.103'] })]);
    const rows = await listCases(store.pool, { customer: 'C3' });
    assert.equal(rows.length, 3);
    assert.equal(new Set(rows.map((r) => r.campaign)).size, 1, JSON.stringify(rows.map((r) => r.campaign)));
    assert.equal(rows[0]!.campaign, z!.cases[0]!.campaignId);
    assert.equal(rows[0]!.campaignReports, 3);
  });

  it('keeps reports awaiting review and escalates an urgent case once, re-alerting at most once per interval', async () => {
    const links = ['@victim-hater', '@second-hater'].map((h) => ({ key: caseKey('P1', 'account', h, 'violence'), customerId: 'P1', targetType: 'account' as const, targetValue: h, category: 'violence' as const, policy: 'review' as const }));
    const outs = [];
    for (let i = 0; i < 12; i++) outs.push(...(await store.assign([report(`harass-${i}`, 'victim@reporter.test', { category: 'violence', priority: 'urgent', links })])));
    assert.equal(new Set(outs.flatMap((o) => o.cases.map((c) => c.ref))).size, 2);
    assert.equal(outs.flatMap((o) => o.notices).length, 0, 'nothing to the account holders');
    assert.equal(outs.filter((o) => o.escalation).length, 1, 'one escalation for both cases');
    assert.deepEqual(outs[0]!.escalation!.caseIds.length, 2);
    assert.ok(outs.every((o) => o.cases.every((c) => c.status === 'awaiting_review' && c.priority === 'urgent')));
    assert.equal(outs[11]!.cases[0]!.reportCount, 12);
    const shown = await showCase(store.pool, outs[0]!.cases[0]!.ref);
    assert.equal(shown!.linked.length, 1, 'the other account is a linked case');
    assert.equal(shown!.reporterList[0]!.reports, 12);
    assert.equal(shown!.reporterList[0]!.address, undefined, 'reporters are not named unless asked');
  });

  it('gives each report that names no target a case of its own', async () => {
    const none = (id: string): ReportInput['links'] => [{ key: caseKey(null, 'none', key(id), 'other'), customerId: null, targetType: 'none', targetValue: key(id), category: 'other', policy: 'notify' }];
    const [a] = await store.assign([report('none-1', 'n@reporter.test', { category: 'other', links: none('none-1') })]);
    const [b] = await store.assign([report('none-2', 'n@reporter.test', { category: 'other', links: none('none-2') })]);
    assert.notEqual(a!.cases[0]!.ref, b!.cases[0]!.ref);
    assert.equal(b!.cases[0]!.reportCount, 1);
  });

  it("counts a customer's earlier incidents within the ladder's window only, once told and their time to answer ran out: quiet long enough, it is back on the first rung", async () => {
    const link = (host: string) => [{ key: caseKey('L1', 'server', host, 'phishing'), customerId: 'L1', targetType: 'server' as const, targetValue: host, category: 'phishing' as const, policy: 'notify' as const }];
    const longAgo = new Date(Date.now() - (config.ladder.windowDays + 10) * 86400_000);
    // The relay took a case's first notice at `at` (what the notify worker records).
    const told = (ref: string, at: Date) => store.pool.query(`UPDATE cases SET first_notice_at = $2 WHERE ref = $1`, [ref, at]);
    const [o1] = await store.assign([report('ladder-old-1', 'l@reporter.test', { category: 'phishing', links: link('old1.test'), receivedAt: longAgo.toISOString() })], longAgo);
    await told(o1!.cases[0]!.ref, longAgo);
    const later = new Date(longAgo.getTime() + 5 * 86400_000);
    const [o2] = await store.assign([report('ladder-old-2', 'l@reporter.test', { category: 'phishing', links: link('old2.test'), receivedAt: later.toISOString() })], later);
    await told(o2!.cases[0]!.ref, later);
    const [fresh] = await store.assign([report('ladder-new', 'l@reporter.test', { category: 'phishing', links: link('new.test') })]);
    assert.equal(fresh!.notices[0]!.rung, 0, 'two incidents a year and more ago do not count');
    await told(fresh!.cases[0]!.ref, new Date());
    const [soon] = await store.assign([report('ladder-soon', 'l@reporter.test', { category: 'phishing', links: link('soon.test') })]);
    assert.equal(soon!.notices[0]!.rung, 0, 'the one just before does not while the customer still has time to answer it');
    const inFifteenDays = new Date(Date.now() + 15 * 86400_000);
    const [next] = await store.assign([report('ladder-next', 'l@reporter.test', { category: 'phishing', links: link('next.test'), receivedAt: inFifteenDays.toISOString() })], inFifteenDays);
    assert.equal(next!.notices[0]!.rung, 1, 'once its time ran out it does: one incident (the two opened while it ran are one)');
  });

  it('history is append-only', async () => {
    await assert.rejects(store.pool.query('UPDATE case_events SET kind = kind'), /append-only/);
    await assert.rejects(store.pool.query('DELETE FROM case_events'), /append-only/);
  });

  it('retention erases reporters of cases closed past the period, and the case still shows', async () => {
    const links = [{ key: caseKey('C4', 'domain', 'retain.test', 'phishing'), customerId: 'C4', targetType: 'domain' as const, targetValue: 'retain.test', category: 'phishing' as const, policy: 'notify' as const }];
    const longAgo = new Date(Date.now() - 400 * 86400_000);
    const [o] = await store.assign([report('retain-1', 'Zoe.Private@reporter.test', { links, receivedAt: longAgo.toISOString() })], longAgo);
    const ref = o!.cases[0]!.ref;
    assert.equal(await store.purgeReporters(config.cases.retention.reporterDataDays), 0, 'an open case keeps its reporters');
    await store.close(ref, 'action taken', 'test', new Date(Date.now() - 200 * 86400_000));
    const erased = await store.purgeReporters(config.cases.retention.reporterDataDays);
    assert.ok(erased >= 1);
    const dump = await store.pool.query(`SELECT string_agg(t::text, ' ') AS all FROM (
      SELECT row_to_json(r)::text AS t FROM reporters r UNION ALL SELECT row_to_json(c)::text FROM cases c UNION ALL SELECT row_to_json(e)::text FROM case_events e
      UNION ALL SELECT row_to_json(p)::text FROM reports p UNION ALL SELECT row_to_json(x)::text FROM case_reporters x) q`);
    const all: string = dump.rows[0].all;
    assert.ok(all.includes('r0@reporter.test'), 'the dump does hold other reporters (the check can fail)');
    assert.ok(!/zoe/i.test(all), "the erased reporter's address or name is still in a row");
    const shown = await showCase(store.pool, ref, true);
    assert.equal(shown!.reports, 1);
    assert.equal(shown!.reporterList[0]!.erased, true);
    assert.equal(shown!.reporterList[0]!.address, null);
    const exported = [];
    for await (const c of exportCases(store.pool, 2)) exported.push(c.ref);
    assert.ok(exported.includes(ref));

    // The same through the CLI an operator uses.
    const file = join(mkdtempSync(join(tmpdir(), 'abuse-desk-cases-')), 'config.yaml');
    writeFileSync(file, stringify({ cases: { database: PG_URL, schema: config.cases.schema } }));
    const cli = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args, '--config', file], { encoding: 'utf8' });
    const shownCli = cli('cases', 'show', ref, '--reporters');
    assert.match(shownCli, new RegExp(`^${ref}  closed \\(action taken\\)`));
    assert.match(shownCli, /R1 {2}1 report\(s\) {2}\[erased\]/);
    assert.doesNotMatch(shownCli, /zoe/i);
    assert.ok(cli('cases', 'export').split('\n').some((l) => l.includes(`"ref":"${ref}"`)));
    assert.match(cli('cases', 'list', '--all', '--customer', 'C4'), new RegExp(`${ref}\\s+closed`));
  });
});
