import assert from 'node:assert/strict';
import { operator } from '../support/operators.ts';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApi } from '../../src/http/server.ts';
import { startApi } from '../../src/http/start-api.ts';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { caseClocks } from '../../src/ops/sla.ts';
import { openCasesForSla } from '../../src/ops/sla-scanner.ts';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { threatReport } from '../support/case-scenarios.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;
const viewer = operator('victor', 'viewer');
const french = buildSample('plain-fr', 7, 'api');
const agent = operator('alice', 'agent');
const admin = operator('root', 'admin');

const phishing = (i: number, host: string): Buffer =>
  Buffer.from(`From: Kim ${i} <kim${i}@reporter.test>\r\nTo: abuse@example.net\r\nSubject: phishing ${i}\r\nMessage-ID: <api.${i}@reporter.test>\r\n\r\nThis page steals bank passwords: http://${host}/login\r\n`);

/**
 * The API against the real PostgreSQL, Redis, Dovecot and SMTP sink: cases
 * made by the running pipeline, acted on over HTTP, mails counted at the sink.
 */
describe('the case API', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  let threatRef: string;
  const call = async (method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: await res.json() };
  };

  before(async () => {
    stack = await startStack({
      desk: { escalateTo: 'oncall@desk.test' },
      accounts: { atHandles: true },
      api: {
        host: '127.0.0.1',
        port: 0,
        operators: [viewer.entry, agent.entry, admin.entry],
      },
    });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([threatReport(0, 'api').raw, phishing(1, 'one.shop.test'), phishing(2, 'two.shop.test'), french.raw]);
    await stack.until(async () => (await listCases(stack.cases.pool)).length === 5, 30_000, 'the cases');
    threatRef = (await listCases(stack.cases.pool)).find((c) => c.target === 'some_handle')!.ref;
    api = await startApi(stack.runtime);
  });

  after(async () => {
    await api?.close();
    await stack?.stop();
  });

  it('answers 401 without credentials, and 403 when a viewer acts', async () => {
    assert.equal((await call('GET', '/api/cases', null)).status, 401);
    assert.equal((await call('GET', '/api/cases', 'adk_wrong')).status, 401);
    const listed = await call('GET', '/api/cases', viewer.token);
    assert.equal(listed.status, 200);
    assert.equal(listed.json.length, 5);
    const denied = await call('POST', `/api/cases/${threatRef}/notes`, viewer.token, { text: 'hello' });
    assert.equal(denied.status, 403);
    assert.match(denied.json.error, /victor is viewer/);
  });

  it('keeps reporters unnamed except for an admin who asks', async () => {
    assert.equal((await call('GET', `/api/cases/${threatRef}?reporters=true`, agent.token)).status, 400);
    const named = await call('GET', `/api/cases/${threatRef}?reporters=true`, admin.token);
    assert.equal(named.json.reporterList[0].address, 'salome.victim@reporter.test');
    const plain = await call('GET', `/api/cases/${threatRef}`, agent.token);
    assert.equal(plain.json.reporterList[0].address, undefined);
  });

  it('validates requests with a clear error', async () => {
    const bad = await call('POST', `/api/cases/${threatRef}/status`, agent.token, { status: 'bogus' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /status/);
    const noOutcome = await call('POST', `/api/cases/${threatRef}/status`, agent.token, { status: 'resolved' });
    assert.equal(noOutcome.status, 400);
    assert.match(noOutcome.json.error, /resolving needs an outcome/);
    assert.equal((await call('POST', '/api/cases/AD-2026-999999/notes', agent.token, { text: 'x' })).status, 404);
  });

  it('releasing a held case sends its notice, without the reporter’s words; the action is in the history', async () => {
    const before = stack.sink.mails.length;
    assert.equal((await call('GET', `/api/cases/${threatRef}`, agent.token)).json.status, 'awaiting_review');
    const released = await call('POST', `/api/cases/${threatRef}/release`, agent.token);
    assert.equal(released.status, 200, JSON.stringify(released.json));
    assert.deepEqual(released.json, { ref: threatRef, status: 'open', mails: ['notice'] });
    await stack.until(async () => (await readSent(stack.sink.mails)).some((m) => m.to === 'admin@example.test' && m.text.includes(threatRef)), 20_000, 'the released notice');
    const notice = (await readSent(stack.sink.mails)).find((m) => m.to === 'admin@example.test' && m.text.includes(threatRef))!;
    assert.doesNotMatch(notice.text, /Salom|kill you|salome/i);
    assert.equal((await call('POST', `/api/cases/${threatRef}/release`, agent.token)).status, 409, 'a case is released once');
    await sleep(500);
    assert.equal(stack.sink.mails.length - before, 1);
    const shown = (await showCase(stack.cases.pool, threatRef))!;
    assert.ok(shown.history.some((h) => h.kind === 'released' && h.actor === 'alice'));
  });

  it('records notes, flags, escalations and status changes with their operator', async () => {
    const c200 = await listCases(stack.cases.pool, { customer: 'C200' });
    const one = c200.find((c) => c.target === 'one.shop.test')!.ref;
    const two = c200.find((c) => c.target === 'two.shop.test')!.ref;
    assert.equal((await call('POST', `/api/cases/${one}/notes`, agent.token, { text: 'called the customer' })).status, 200);
    assert.equal((await call('POST', `/api/cases/${one}/flags`, agent.token, { flag: 'good_faith', set: true })).status, 200);
    const esc = await call('POST', `/api/cases/${one}/escalate`, agent.token, { reason: 'bank asks for speed' });
    assert.deepEqual(esc.json.mails, ['escalation']);
    await stack.until(async () => (await readSent(stack.sink.mails)).some((m) => m.to === 'oncall@desk.test' && m.text.includes('bank asks for speed')), 20_000, 'the escalation');
    const resolved = await call('POST', `/api/cases/${two}/status`, agent.token, { status: 'resolved', outcome: 'action_taken', ground: 'terms of service, section 4: phishing', reason: 'the page was removed' });
    assert.equal(resolved.json.status, 'resolved', JSON.stringify(resolved.json));
    const h = (await showCase(stack.cases.pool, one))!.history.filter((x) => x.actor === 'alice').map((x) => x.kind);
    assert.deepEqual(h, ['note', 'flag', 'escalated']);
    const two2 = (await showCase(stack.cases.pool, two))!;
    assert.equal(two2.outcome, 'action_taken');
    assert.ok(two2.closedAt);
    assert.ok(two2.history.some((x) => x.kind === 'status' && x.actor === 'alice'));
  });

  it('resolving with action taken needs its ground, then tells the reporter the outcome and sends the customer a statement of reasons', async () => {
    const three = (await listCases(stack.cases.pool, { customer: 'C200' })).find((c) => c.target === 'one.shop.test')!.ref;
    const noGround = await call('POST', `/api/cases/${three}/status`, agent.token, { status: 'resolved', outcome: 'action_taken' });
    assert.equal(noGround.status, 400);
    assert.match(noGround.json.error, /ground/);
    const two = (await listCases(stack.cases.pool, { customer: 'C200', all: true })).find((c) => c.target === 'two.shop.test')!.ref;
    await stack.until(async () => (await readSent(stack.sink.mails)).filter((m) => m.text.includes(two) && /Outcome|Statement/.test(m.subject)).length === 2, 20_000, 'the outcome mails');
    const sent = (await readSent(stack.sink.mails)).filter((m) => m.text.includes(two) && /Outcome|Statement/.test(m.subject));
    const decision = sent.find((m) => m.to === 'kim2@reporter.test')!;
    assert.match(decision.subject, /Outcome of your report about two\.shop\.test/);
    assert.match(decision.text.replace(/\s+/g, ' '), /action was taken against the content/);
    assert.doesNotMatch(decision.text, /Shop Hosting|ops@shop-hosting/, 'the reporter is not told who the customer is');
    const statement = sent.find((m) => m.to === 'ops@shop-hosting.test')!;
    assert.match(statement.text, /Ground: terms of service, section 4: phishing/);
    assert.match(statement.text.replace(/\s+/g, ' '), /reported by people; the decision was taken by a member of our team, not by automated means/);
    assert.match(statement.text.replace(/\s+/g, ' '), /appeal within six months/);
    assert.doesNotMatch(statement.text, /kim2|Kim 2/, 'the customer is not told who reported');

    // The same decision as a statement of reasons for the EU transparency database.
    const lines = execFileSync(process.execPath, [BIN, 'cases', 'export', '--sor', '--config', stack.configFile], { encoding: 'utf8' }).trim().split('\n');
    const sor = lines.map((l) => JSON.parse(l)).find((x) => x.puid === two);
    assert.deepEqual(
      { ground: sor.decision_ground, terms: sor.incompatible_content_ground, visibility: sor.decision_visibility, category: sor.category, source: sor.source_type, detection: sor.automated_detection, decision: sor.automated_decision },
      { ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT', terms: 'terms of service, section 4: phishing', visibility: ['DECISION_VISIBILITY_CONTENT_DISABLED'], category: 'STATEMENT_CATEGORY_FRAUD', source: 'SOURCE_ARTICLE_16', detection: 'No', decision: 'No' },
    );
    assert.ok(!lines.join('').includes('reporter.test'), 'no reporter in the export');
  });

  it("tells a French reporter the outcome in French, and the customer nothing when no action was taken", async () => {
    const ref = (await listCases(stack.cases.pool)).find((c) => c.target === 'boutique.shop.test')!.ref;
    const res = await call('POST', `/api/cases/${ref}/status`, agent.token, { status: 'resolved', outcome: 'not_manifestly_illegal' });
    assert.deepEqual(res.json.mails, ['decision']);
    await stack.until(async () => (await readSent(stack.sink.mails)).some((m) => m.to === french.ackTo && /Suite donnée/.test(m.subject)), 20_000, 'the French decision');
    const m = (await readSent(stack.sink.mails)).find((x) => x.to === french.ackTo && /Suite donnée/.test(x.subject))!;
    assert.match(m.text.replace(/\s+/g, ' '), /n'a pas été jugé manifestement illicite/);
    assert.equal((await readSent(stack.sink.mails)).filter((x) => x.to === 'ops@shop-hosting.test' && x.text.includes(ref) && /Statement|Exposé/.test(x.subject)).length, 0);
  });

  it('merges a case into another (reports moved, counts recomputed, the first resolved as a duplicate), and splits one off', async () => {
    await stack.append([phishing(3, 'three.shop.test'), phishing(4, 'four.shop.test')]);
    await stack.until(async () => (await listCases(stack.cases.pool, { customer: 'C200' })).length >= 3, 20_000, 'two more cases');
    const open = (await listCases(stack.cases.pool, { customer: 'C200' })).filter((c) => ['three.shop.test', 'four.shop.test'].includes(c.target));
    const [a, b] = open;
    const merged = await call('POST', `/api/cases/${a!.ref}/merge`, agent.token, { into: b!.ref });
    assert.equal(merged.status, 200, JSON.stringify(merged.json));
    const into = (await showCase(stack.cases.pool, b!.ref))!;
    assert.equal(into.reports, 2);
    assert.equal(into.reporters, 2);
    const from = (await showCase(stack.cases.pool, a!.ref))!;
    assert.equal(from.status, 'resolved');
    assert.equal(from.outcome, 'duplicate');
    assert.equal((await call('POST', `/api/cases/${a!.ref}/merge`, agent.token, { into: b!.ref })).status, 409);

    // And split one report back off, into a case about a more exact address.
    const key = into.reportsList[0]!.messageKey;
    const split = await call('POST', `/api/cases/${b!.ref}/split`, agent.token, { reports: [key], target: `${b!.target}/login` });
    assert.equal(split.status, 200, JSON.stringify(split.json));
    const left = (await showCase(stack.cases.pool, b!.ref))!;
    const off = (await showCase(stack.cases.pool, split.json.newRef))!;
    assert.deepEqual([left.reports, off.reports, off.target, off.customer], [1, 1, `${b!.target}/login`, 'C200']);
    assert.ok(off.history.some((h) => h.kind === 'split' && h.actor === 'alice'));
    assert.equal((await call('POST', `/api/cases/${b!.ref}/split`, agent.token, { reports: [left.reportsList[0]!.messageKey], target: 'x.test' })).status, 400, 'not every report');
  });

  it('flags a reporter of manifestly unfounded notices: warned once, then heard at low priority; visible and reversible', async () => {
    const ref = (await listCases(stack.cases.pool, { all: true })).find((c) => c.target === 'one.shop.test')!.ref;
    const flagged = await call('POST', `/api/cases/${ref}/reporters/1/unfounded`, agent.token, { set: true });
    assert.deepEqual(flagged.json.mails, ['unfounded']);
    await stack.until(async () => (await readSent(stack.sink.mails)).some((m) => m.to === 'kim1@reporter.test' && /About your reports/.test(m.subject)), 20_000, 'the warning');
    assert.equal((await call('POST', `/api/cases/${ref}/reporters/9/unfounded`, agent.token, { set: true })).status, 404);
    // Cleared and flagged again: still warned only once.
    await call('POST', `/api/cases/${ref}/reporters/1/unfounded`, agent.token, { set: false });
    const again = await call('POST', `/api/cases/${ref}/reporters/1/unfounded`, agent.token, { set: true });
    assert.deepEqual(again.json.mails, []);
    assert.equal((await call('GET', `/api/cases/${ref}`, agent.token)).json.reporterList[0].unfounded, true);
    // Their next report (phishing, high at triage) is heard at low priority.
    await stack.append([phishing(1, 'five.shop.test').toString().replace('<api.1@', '<api.1b@')].map((x) => Buffer.from(x)));
    await stack.until(async () => !!(await listCases(stack.cases.pool)).find((c) => c.target === 'five.shop.test'), 20_000, 'the next case');
    assert.equal((await listCases(stack.cases.pool)).find((c) => c.target === 'five.shop.test')!.priority, 'low');
    assert.equal((await readSent(stack.sink.mails)).filter((m) => m.to === 'kim1@reporter.test' && /About your reports/.test(m.subject)).length, 1);
  });

  it('pauses the resolution clock while the case waits for the customer, and resumes it later by the time waited', async () => {
    const ref = (await listCases(stack.cases.pool, { customer: 'C200' }))[0]!.ref;
    const inTenDays = (): Date => new Date(Date.now() + 10 * 86_400_000);
    const clocksOf = async () => (await openCasesForSla(stack.cases.pool, stack.config.sla, inTenDays())).find((c) => c.ref === ref)!;
    assert.equal((await clocksOf()).pausedSec, 0);
    assert.equal((await call('POST', `/api/cases/${ref}/status`, agent.token, { status: 'waiting_customer' })).status, 200);
    assert.ok(!caseClocks(await clocksOf(), stack.config.sla).some((k) => k.clock === 'resolve'), 'no resolution clock while waiting');
    await sleep(2100);
    assert.equal((await call('POST', `/api/cases/${ref}/status`, agent.token, { status: 'open' })).status, 200);
    const resumed = await clocksOf();
    assert.ok(resumed.pausedSec >= 2 && resumed.pausedSec <= 4, `paused ${resumed.pausedSec} s`);
    const resolve = caseClocks(resumed, stack.config.sla).find((k) => k.clock === 'resolve')!;
    assert.equal(resolve.dueAt.getTime(), resumed.openedAt.getTime() + (stack.config.sla.resolveSec[resumed.priority] + resumed.pausedSec) * 1000);
  });

  it('serves an OpenAPI document listing every route with its schemas', async () => {
    const doc = await call('GET', '/api/openapi.json', viewer.token);
    assert.equal(doc.status, 200);
    assert.match(doc.json.openapi, /^3\./);
    for (const p of ['/api/cases', '/api/cases/{ref}', '/api/cases/{ref}/notes', '/api/cases/{ref}/status', '/api/cases/{ref}/release', '/api/cases/{ref}/withhold', '/api/cases/{ref}/escalate', '/api/cases/{ref}/flags', '/api/cases/{ref}/merge', '/api/cases/{ref}/split', '/api/cases/{ref}/reporters/{n}/unfounded']) {
      assert.ok(doc.json.paths[p], `${p} missing from the OpenAPI document`);
    }
    assert.ok(doc.json.paths['/api/cases/{ref}/status'].post.requestBody.content['application/json'].schema.properties.outcome.enum.includes('not_manifestly_illegal'));
  });

  it('refuses to start without operators unless it listens on loopback only', async () => {
    const deps = { pool: stack.cases.pool, actions: null as never, logger: stack.runtime.logger };
    const api = { ...stack.config.api, port: 0, operators: [] };
    await assert.rejects(buildApi({ ...deps, api: { ...api, host: '0.0.0.0' } }), /api\.operators is empty/);
    const local = await buildApi({ ...deps, api: { ...api, host: '127.0.0.1' } });
    await local.close();
  });
});
