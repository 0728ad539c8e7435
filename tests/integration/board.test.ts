import assert from 'node:assert/strict';
import { operator } from '../support/operators.ts';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { openActions, startApi } from '../../src/http/start-api.ts';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { phishingReport, threatReport } from '../support/case-scenarios.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

/** Where the screenshots go; CI keeps them as artefacts. */
const SHOTS = new URL('../artifacts/board/', import.meta.url).pathname;
const agent = operator('alice', 'agent');
const viewer = operator('victor', 'viewer');


/**
 * The case board in headless Chromium against the running pipeline: an
 * urgent threat case whose 2 s review deadline has passed sits above
 * phishing cases with hours left; an agent reaches it with the keyboard,
 * adds a note and releases its held notice, which reaches the SMTP sink.
 */
describe('the case board', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  let browser: Browser;
  /** The case at the top of the board: one of the two threat cases (some_handle, troll_account), both past their review deadline. */
  let topRef: string;
  let threatRefs: string[];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const hour = { urgent: 3600, high: 3600, normal: 3600, low: 3600 };
    stack = await startStack({
      desk: { escalateTo: 'oncall@desk.test' },
      accounts: { atHandles: true },
      sla: { enabled: false, reviewSec: { ...hour, urgent: 2 }, noticeSec: hour, resolveSec: { ...hour, urgent: 7200 } },
      api: {
        host: '127.0.0.1',
        port: 0,
        operators: [agent.entry, viewer.entry],
      },
    });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([phishingReport(0, 1, 'board').raw, threatReport(0, 'board').raw, phishingReport(1, 2, 'board').raw]);
    await stack.until(async () => (await listCases(stack.cases.pool)).some((c) => c.target === 'some_handle'), 30_000, 'the cases');
    threatRefs = (await listCases(stack.cases.pool)).filter((c) => c.category === 'violence').map((c) => c.ref);
    assert.equal(threatRefs.length, 2);
    // Past the threat's 2 s review deadline.
    await sleep(2500);
    api = await startApi(stack.runtime);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await stack?.stop();
  });

  const signIn = async (who: { token: string; entry: { name: string } }): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const res = await page.goto(`${api.url}/board`);
    assert.equal(res!.status(), 401, 'the board needs credentials');
    await page.screenshot({ path: `${SHOTS}0-sign-in.png` });
    await page.getByLabel('Operator name').fill(who.entry.name);
    await page.getByLabel('Operator token').fill(who.token);
    const signedIn = page.waitForResponse((r) => r.url().endsWith('/board/login'));
    await page.keyboard.press('Enter');
    assert.equal((await signedIn).status(), 303);
    await page.getByRole('heading', { name: 'Open cases' }).waitFor();
    return page;
  };

  it('lists the breached case first, opens it from the keyboard, and acts on it', async () => {
    const page = await signIn(agent);
    const rows = page.locator('table.cases tbody tr');
    assert.equal(await rows.count(), 3);
    const deadline = async (i: number): Promise<string> => (await rows.nth(i).locator('td.deadline').textContent())!;
    topRef = (await rows.first().locator('th a').textContent())!;
    assert.ok(threatRefs.includes(topRef), `${topRef} is a threat case`);
    assert.match(await deadline(0), /^review breached \d+ s ago$/);
    assert.match(await deadline(1), /^review breached \d+ s ago$/);
    assert.match(await deadline(2), /^resolve due in 60 min$/, 'the phishing case, an hour left, comes last');
    await page.screenshot({ path: `${SHOTS}1-open-cases.png`, fullPage: true });
    // The README's picture (docs/board.png is a copy): the header, filters and table, without the empty page below.
    const table = (await page.locator('table.cases').boundingBox())!;
    await page.screenshot({ path: `${SHOTS}readme.png`, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(table.y + table.height + 16) } });

    // Tab through the page until the breached case's link has focus, then open it with Enter.
    let focused = '';
    for (let i = 0; i < 40 && focused !== topRef; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    assert.equal(focused, topRef, 'the case link is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/board/cases/${topRef}$`));
    assert.match((await page.locator('h1').textContent())!, new RegExp(topRef));
    assert.equal(await page.getByRole('heading', { name: 'Held notice' }).count(), 1);
    assert.match((await page.locator('#h-deadlines + ul').textContent())!, /review breached/);
    await page.screenshot({ path: `${SHOTS}2-case.png`, fullPage: true });

    await page.getByLabel('Note (for the desk only)').fill('Asked the police liaison to call the reporter.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(/done=notes/);
    assert.equal(await page.getByRole('status').textContent(), 'Note added.');
    assert.match((await page.locator('#h-history ~ table').textContent())!, /alice\s*note\s*text: Asked the police liaison/);

    const sentBefore = stack.sink.mails.length;
    await page.getByRole('button', { name: 'Release notice' }).click();
    await page.waitForURL(/done=release/);
    assert.equal(await page.getByRole('status').textContent(), 'Notice released. 1 mail queued.');
    await page.screenshot({ path: `${SHOTS}3-released.png`, fullPage: true });
    await stack.until(() => stack.sink.mails.length > sentBefore, 20_000, 'the released notice');
    await sleep(500);
    const released = await readSent(stack.sink.mails.slice(sentBefore));
    assert.equal(released.length, 1, 'one mail: the notice');
    assert.ok(released[0]!.subject.includes(topRef) && !/reporter\.test|oncall/.test(released[0]!.to), `the customer's notice: ${released[0]!.to} ${released[0]!.subject}`);

    const shown = (await showCase(stack.cases.pool, topRef))!;
    assert.deepEqual(
      shown.history.filter((h) => h.actor === 'alice').map((h) => h.kind),
      ['note', 'released'],
    );
    assert.equal(shown.status, 'open');

    // An action that cannot be done says why on the case page.
    await page.getByRole('button', { name: 'Merge' }).click(); // the required field stops an empty form in the browser
    assert.match(page.url(), new RegExp(`/board/cases/${topRef}\\?done=release`));
    await page.getByLabel('Case reference').fill('AD-2026-999999');
    await page.getByRole('button', { name: 'Merge' }).click();
    await page.waitForLoadState();
    assert.match((await page.getByRole('alert').textContent())!, /Not done: .*AD-2026-999999/);
    await page.close();
  });

  it('filters, refuses forms from elsewhere, and shows a viewer no actions', async () => {
    const page = await signIn(agent);
    await page.getByLabel('Category').selectOption('phishing');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/category=phishing/);
    const refs = await page.locator('table.cases tbody th a').allTextContents();
    assert.equal(refs.length, 1, `only the phishing case: ${refs.join(' ')}`);
    assert.ok(!threatRefs.includes(refs[0]!));

    // A post carrying the session cookie but no form token (what another site could make a browser send) is refused.
    const forged = await page.request.post(`${api.url}/board/cases/${refs[0]}/notes`, { form: { text: 'forged' } });
    assert.equal(forged.status(), 403);
    assert.ok(!(await showCase(stack.cases.pool, refs[0]!))!.history.some((h) => h.kind === 'note'));
    await page.close();

    const seen = await signIn(viewer);
    await seen.goto(`${api.url}/board/cases/${topRef}`);
    assert.equal(await seen.getByRole('button', { name: 'Add note' }).count(), 0);
    assert.match((await seen.locator('main').textContent())!, /viewer\) can read cases but not act/);
    await seen.close();
  });

  it('shows resolved cases when asked, and open ones by default', async () => {
    const phishing = (await listCases(stack.cases.pool, { category: 'phishing' }))[0]!.ref;
    const opened = await openActions(stack.runtime);
    try {
      await opened.actions.setStatus(phishing, 'alice', 'resolved', 'action_taken', { reason: 'the page was removed', ground: 'our terms of service, section 4 (phishing)', groundType: 'terms' });
    } finally {
      await opened.close();
    }
    const page = await signIn(agent);
    assert.ok(!(await page.locator('table.cases tbody th a').allTextContents()).includes(phishing), 'a resolved case is not among the open ones');
    await page.getByLabel('Status').selectOption('resolved');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=resolved/);
    assert.deepEqual(await page.locator('table.cases tbody th a').allTextContents(), [phishing]);
    await page.close();
  });
});
