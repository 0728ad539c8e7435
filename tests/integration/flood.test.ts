import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/load.ts';
import { bounceOf, forgedComplaint } from '../support/forged.ts';
import { listCases } from '../../src/cases/case-queries.ts';
import { CASE_REF, readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

// The default caps, as shipped: what a desk gets without tuning.
const caps = loadConfig({ env: {} }).caps;
const domainCap = Math.min(...caps.perDomain.map((w) => w.max));

async function caseEvents(stack: Stack): Promise<Array<{ kind: string; mailKind?: string; reason?: string }>> {
  const res = await stack.cases.pool.query(`SELECT kind, detail FROM case_events ORDER BY id`);
  return res.rows.map((r) => ({ kind: r.kind, ...(r.detail ?? {}) }));
}

describe('500 forged complaints in the name of one domain', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack();
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append(Array.from({ length: 500 }, (_, i) => forgedComplaint(i, `person${i}@victim.test`, 'http://www.example.test/promo')));
    await stack.until(async () => (await stack.count('Processed')) === 500, 60_000, 'all 500 in Processed');
    await stack.until(async () => (await stack.redis.llen(`${stack.prefix}:notify:wait`)) + (await stack.redis.llen(`${stack.prefix}:notify:active`)) === 0, 60_000, 'notify queue drained');
    await sleep(1500);
  });

  after(async () => stack?.stop());

  it(`sends that domain no more than its cap (${domainCap} in its shortest window)`, async () => {
    const sent = await readSent(stack.sink.mails);
    const toVictim = sent.filter((m) => m.to.endsWith('@victim.test'));
    assert.equal(toVictim.length, domainCap);
  });

  it('sends the customer one notice about the URL, not 500', async () => {
    const sent = await readSent(stack.sink.mails);
    assert.equal(sent.filter((m) => m.to === 'admin@example.test').length, 1);
  });

  it('records on each held case why its mail was not sent', async () => {
    const heldForCap = (events: Awaited<ReturnType<typeof caseEvents>>) => events.filter((e) => e.kind === 'mail-held' && e.mailKind === 'acknowledgement' && /over the cap per recipient domain/.test(e.reason!));
    // The last held mails' lines may still be on their way (each is written with the mail as composed, in the case's thread).
    await stack.until(async () => heldForCap(await caseEvents(stack)).length >= 500 - domainCap, 20_000, 'a line for each held acknowledgement');
    const events = await caseEvents(stack);
    assert.equal(heldForCap(events).length, 500 - domainCap);
    // One case holds the 500 reports; it decided on one notice, not 500.
    const cases = await listCases(stack.cases.pool, { customer: 'C100' });
    assert.equal(cases.length, 1);
    assert.equal(cases[0]!.reports, 500);
    // The first notice is recorded with the case's opening, later ones on their own.
    assert.equal(events.filter((e) => e.kind === 'notice' || (e.kind === 'opened' && (e as { notice?: unknown }).notice)).length, 1);
  });

  it('stops mailing an address whose server bounced our mail, and records why', async () => {
    await stack.append([forgedComplaint(1000, 'bob@other.test', 'http://www.example.test/other')]);
    await stack.until(async () => (await readSent(stack.sink.mails)).some((m) => m.to === 'bob@other.test'), 20_000, 'the first acknowledgement to bob');
    const ack = (await readSent(stack.sink.mails)).find((m) => m.to === 'bob@other.test')!;
    await stack.append([bounceOf(ack.header('message-id')!, 'bob@other.test')]);
    await stack.until(async () => (await stack.redis.exists(`${stack.prefix}:suppress:bob@other.test`)) === 1, 20_000, 'bob on the suppression list');
    await stack.append([forgedComplaint(1001, 'bob@other.test', 'http://www.example.test/again')]);
    await stack.until(async () => (await stack.count('Processed')) === 503, 20_000, 'all in Processed');
    await sleep(2000);
    const sent = await readSent(stack.sink.mails);
    assert.equal(sent.filter((m) => m.to === 'bob@other.test').length, 1, 'no second acknowledgement to a bounced address');
    const events = await caseEvents(stack);
    assert.ok(events.some((e) => /suppressed after a bounce/.test(e.reason ?? '')));
    assert.match(ack.subject, CASE_REF);
  });
});
