import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listCases } from '../../src/cases/case-queries.ts';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { openActions, startApi } from '../../src/http/start-api.ts';
import { rederiveDeadlines } from '../../src/ops/sla-deadlines.ts';
import { operator } from '../support/operators.ts';
import { startStack, type Stack } from '../support/stack.ts';

const viewer = operator('victor', 'viewer');
const agent = operator('alice', 'agent');
const french = buildSample('plain-fr', 3, 'search');

const phishing = (i: number, host: string, reporter: string): Buffer =>
  Buffer.from(
    `From: Kim ${i} <${reporter}>\r\nTo: abuse@example.net\r\nSubject: phishing ${i}\r\nMessage-ID: <search.${i}@reporter.test>\r\n\r\nThis page steals bank passwords: http://${host}/login\r\n`,
  );
const threat = Buffer.from(
  'From: Mia <mia@reporter.test>\r\nTo: abuse@example.net\r\nSubject: threats\r\nMessage-ID: <search.threat@reporter.test>\r\n\r\nThe account @some_handle wrote that they will kill me.\r\n',
);

/**
 * Finding cases and the work queue through the API, against the running
 * pipeline: search by reference, target (exact or suffix, or a pasted URL),
 * customer, reporter address (agents), Message-ID and words in English and
 * French, over every status, with counts and keyset pages; the queue sorted
 * by the stored deadline, which follows a change at once and a changed policy
 * by command.
 */
describe('search and the work queue', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  const get = async (path: string, token: string): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, json: await res.json() };
  };
  const refs = (json: { cases: Array<{ ref: string }> }): string[] => json.cases.map((c) => c.ref);
  const refOf = async (target: string): Promise<string> => (await listCases(stack.cases.pool, { all: true })).find((c) => c.target === target)!.ref;

  before(async () => {
    const hour = { urgent: 3600, high: 3600, normal: 3600, low: 3600 };
    stack = await startStack({
      accounts: { atHandles: true },
      // The threat's review clock is 1 s: breached by the time the queue is read.
      sla: { enabled: false, reviewSec: { ...hour, urgent: 1 }, noticeSec: hour, resolveSec: { ...hour, urgent: 7200 } },
      api: { host: '127.0.0.1', port: 0, operators: [viewer.entry, agent.entry] },
    });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([phishing(1, 'www.shop.test', 'kim1@reporter.test'), phishing(2, 'pay.shop.test', 'kim2@reporter.test'), phishing(3, 'www.example.test', 'kim1@reporter.test'), french.raw, threat]);
    await stack.until(async () => (await listCases(stack.cases.pool)).length >= 5, 30_000, 'the cases');
    api = await startApi(stack.runtime);
  });

  after(async () => {
    await api?.close();
    await stack?.stop();
  });

  it('finds a case by reference, by target or domain suffix, by customer, by Message-ID', async () => {
    const shop = await refOf('www.shop.test');
    assert.deepEqual(refs((await get(`/api/search?q=${shop}`, viewer.token)).json), [shop]);
    assert.deepEqual(refs((await get(`/api/search?q=${shop.toLowerCase()}`, viewer.token)).json), [shop], 'a reference in lower case');

    const suffix = (await get('/api/search?q=shop.test', viewer.token)).json;
    assert.equal(suffix.kind, 'target');
    const underShop = (await listCases(stack.cases.pool, { all: true })).filter((c) => c.target.endsWith('.shop.test')).map((c) => c.ref).sort();
    assert.ok(underShop.length >= 3, 'www, pay and boutique');
    assert.deepEqual(refs(suffix).sort(), underShop);
    assert.equal(suffix.total, underShop.length);
    assert.deepEqual(refs((await get(`/api/search?q=${encodeURIComponent('http://www.shop.test/login?x=1')}`, viewer.token)).json), [shop], 'a pasted URL: its host');
    assert.deepEqual(refs((await get('/api/search?q=hop.test', viewer.token)).json), [], 'a suffix is whole labels');

    const c200 = (await get('/api/search?q=C200&kind=customer', viewer.token)).json;
    assert.deepEqual(refs(c200).sort(), underShop);
    assert.deepEqual(refs((await get(`/api/search?q=${encodeURIComponent('<search.3@reporter.test>')}`, viewer.token)).json), [await refOf('www.example.test')]);
  });

  it("finds a reporter's cases by address for agents only", async () => {
    const mine = (await get(`/api/search?q=${encodeURIComponent('KIM1@reporter.test')}`, agent.token)).json;
    assert.equal(mine.kind, 'reporter');
    assert.deepEqual(refs(mine).sort(), [await refOf('www.shop.test'), await refOf('www.example.test')].sort());
    const refused = await get(`/api/search?q=${encodeURIComponent('kim1@reporter.test')}`, viewer.token);
    assert.equal(refused.status, 400);
    assert.match(refused.json.error, /for agents/);
  });

  it('finds words of the reports, in English and in French, over every status', async () => {
    const english = (await get(`/api/search?q=${encodeURIComponent('password stealing')}`, viewer.token)).json;
    assert.equal(english.kind, 'text');
    assert.equal(english.total, 3, 'the three phishing reports (stemmed: passwords, steals)');
    const boutique = await refOf('boutique.shop.test');
    // "livrés" is "livrer" only to the French stemmer.
    assert.deepEqual(refs((await get(`/api/search?q=${encodeURIComponent('jamais livrés')}`, viewer.token)).json), [boutique]);
    assert.deepEqual(refs((await get(`/api/search?q=${encodeURIComponent('"nothing of the sort"')}`, viewer.token)).json), []);

    const opened = await openActions(stack.runtime);
    try {
      await opened.actions.setStatus(boutique, 'alice', 'resolved', 'no_action', { reason: 'no such shop' });
    } finally {
      await opened.close();
    }
    assert.deepEqual(refs((await get(`/api/search?q=${encodeURIComponent('livrer')}`, viewer.token)).json), [boutique], 'a resolved case is still found');
  });

  it('pages through results with a cursor, no case twice, the count unchanged', async () => {
    const first = (await get('/api/search?q=shop.test&limit=1', viewer.token)).json;
    const seen = [...refs(first)];
    let next = first.next as string | null;
    while (next) {
      const page = (await get(`/api/search?q=shop.test&limit=1&after=${next}`, viewer.token)).json;
      assert.equal(page.total, first.total);
      seen.push(...refs(page));
      next = page.next;
    }
    assert.equal(seen.length, first.total);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal((await get('/api/search?q=shop.test&after=bm90LWEtY3Vyc29y', viewer.token)).status, 400, 'a cursor not of ours');
  });

  it('lists the work queue by stored deadline, follows a release at once, and a changed policy by command', async () => {
    const threatRef = await refOf('some_handle');
    // Past the threat's 1 s review deadline.
    const openedAt = Date.parse((await listCases(stack.cases.pool)).find((c) => c.ref === threatRef)!.openedAt);
    await sleep(Math.max(0, openedAt + 1500 - Date.now()));
    const queue = (await get('/api/queue', viewer.token)).json;
    assert.equal(queue.cases[0].ref, threatRef, 'the breached review comes first');
    assert.equal(queue.cases[0].slaClock, 'review');
    assert.ok(Date.parse(queue.cases[0].slaDueAt) <= Date.now());
    const dues = queue.cases.map((c: { slaDueAt: string | null }) => (c.slaDueAt ? Date.parse(c.slaDueAt) : Infinity));
    assert.deepEqual(dues, [...dues].sort((a, b) => a - b), 'nearest deadline first');
    assert.deepEqual(refs((await get('/api/queue?due=breached', viewer.token)).json), [threatRef]);

    // Released: its review clock stops; the next list has the resolution clock, without waiting for any sweep.
    const opened = await openActions(stack.runtime);
    try {
      await opened.actions.release(threatRef, 'alice');
    } finally {
      await opened.close();
    }
    const after = (await get('/api/queue', viewer.token)).json.cases.find((c: { ref: string }) => c.ref === threatRef);
    assert.equal(after.slaClock, 'resolve');
    assert.deepEqual(refs((await get('/api/queue?due=breached', viewer.token)).json), []);

    // A shorter resolution limit, applied to every open case by the command.
    const sla = { ...stack.config.sla, resolveSec: { urgent: 1, high: 1, normal: 1, low: 1 } };
    const n = await rederiveDeadlines(stack.cases.pool, sla);
    assert.equal(n, (await listCases(stack.cases.pool)).length);
    const shortened = (await stack.cases.pool.query(`SELECT count(*)::int AS n FROM cases WHERE closed_at IS NULL AND sla_due_at <= now() + interval '2 seconds'`)).rows[0].n;
    assert.equal(shortened, n, 'every open case due within a second of opening');
  });
});
