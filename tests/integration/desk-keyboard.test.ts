import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { startApi } from '../../src/http/start-api.ts';
import { campaignReport, threatReport } from '../support/case-scenarios.ts';
import { operator } from '../support/operators.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { launchChromium } from '../support/chromium.ts';

const SHOTS = new URL('../artifacts/desk/', import.meta.url).pathname;
const agent = operator('alice', 'agent');
const viewer = operator('victor', 'viewer');
const threat = threatReport(0, 'keys');
// A spam campaign from three addresses of C200; carol reported two of its senders.
const CAROL = 'carol@reporter.test';
const spam = [0, 1, 2, 3].map((i) => {
  const r = campaignReport(i, 'keys');
  return i < 2 ? { raw: Buffer.from(r.raw.toString('utf8').replaceAll(r.reporter, CAROL)), reporter: CAROL } : r;
});

/**
 * The acceptance of "a desk a person can work", in Chromium with the
 * keyboard only, against the running pipeline: open the most urgent case,
 * read the reporter's words, download the .eml, see the acknowledgement in
 * the thread, preview the held notice, add a message, release it and find the
 * notice in the thread with its text; search a target and a reporter's
 * address; tick a campaign's cases and resolve them at once, each reporter
 * told once. Screenshots are kept (tests/artifacts/desk/).
 */
describe('working the desk with the keyboard', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  let browser: Browser;
  let threatRef: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const hour = { urgent: 3600, high: 3600, normal: 3600, low: 3600 };
    stack = await startStack({
      desk: { escalateTo: 'oncall@desk.test' },
      accounts: { atHandles: true },
      sla: { enabled: false, reviewSec: { ...hour, urgent: 2 }, noticeSec: hour, resolveSec: { ...hour, urgent: 7200 } },
      api: { host: '127.0.0.1', port: 0, operators: [agent.entry, viewer.entry] },
    });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([threat.raw, ...spam.map((s) => s.raw)]);
    await stack.until(async () => (await listCases(stack.cases.pool)).filter((c) => c.category === 'spam').reduce((n, c) => n + c.reports, 0) >= 4 && (await listCases(stack.cases.pool)).some((c) => c.target === 'some_handle'), 30_000, 'the cases');
    threatRef = (await listCases(stack.cases.pool)).find((c) => c.target === 'some_handle')!.ref;
    await stack.until(() => stack.sink.mails.some((m) => m.to.includes(threat.reporter)), 20_000, 'the acknowledgement');
    await sleep(2500); // past the threat's 2 s review deadline
    api = await startApi(stack.runtime);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await stack?.stop();
  });

  const signIn = async (who: { token: string; entry: { name: string } }): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    await page.goto(`${api.url}/board/login`);
    await page.getByLabel('Operator name').focus();
    await page.keyboard.type(who.entry.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(who.token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Open cases' }).waitFor();
    return page;
  };
  const active = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '');

  it('reads a case, previews and releases its notice, searches, and resolves a campaign at once', async () => {
    const page = await signIn(agent);
    // "?" lists the shortcuts; Escape closes the list.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.screenshot({ path: `${SHOTS}0-shortcuts.png` });
    await page.keyboard.press('Escape');

    // The most urgent case is first; j selects it, o opens it.
    await page.keyboard.press('j');
    assert.equal(await active(page), threatRef, 'the breached threat case is at the top');
    await page.keyboard.press('o');
    await page.waitForURL(new RegExp(`/board/cases/${threatRef}$`));

    // The reporter's words, as received, and who sent them (an agent).
    await page.keyboard.press('r');
    assert.equal(await active(page), 'report-1-text');
    assert.match((await page.locator('#report-1-text').textContent())!, /keep sending me death threats/);
    assert.match((await page.locator('article.report').first().textContent())!, /salome\.victim@reporter\.test/);
    // Times in the operator's zone, with how far off they are.
    assert.match((await page.locator('article.report time').first().textContent())!, /\(.*ago\)|\(now\)/);
    await page.screenshot({ path: `${SHOTS}1-case-report.png`, fullPage: true });
    // The README's picture (docs/case.png is a copy): the case, its report as received, the targets found.
    const bottom = await page.locator('article.report table').first().evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
    await page.screenshot({ path: `${SHOTS}readme-case.png`, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom + 16) } });

    // e: the message as it reached the mailbox.
    const download = page.waitForEvent('download');
    await page.keyboard.press('e');
    const eml = readFileSync((await (await download).path())!);
    assert.ok(eml.equals(threat.raw), 'the .eml is the message as received');

    // t: the thread, with the acknowledgement she got.
    await page.keyboard.press('t');
    assert.equal(await active(page), 'h-thread');
    const thread = page.locator('ol.thread');
    assert.match((await thread.textContent())!, /to reporter R1 · acknowledgement · sent/);
    assert.match((await thread.textContent())!, /from reporter R1 · report · received/);

    // n: the held notice's message; Tab to "Preview", Enter; the preview shows it.
    const message = 'We have suspended posting from this account while we look into it.';
    await page.keyboard.press('n');
    assert.equal(await active(page), 'a-message');
    await page.keyboard.type(message);
    await page.keyboard.press('Tab'); // the extract (none: an account's notice quotes nothing)
    await page.keyboard.press('Tab');
    assert.equal(await active(page), 'Preview with these changes');
    await page.keyboard.press('Enter');
    await page.waitForURL(/preview-notice$/);
    const preview = (await page.locator('pre.preview').textContent())!;
    assert.ok(preview.includes(message), 'the preview carries the message');
    assert.doesNotMatch(preview, /Salom|salome|death threats/i, 'and nothing of the reporter');
    await page.screenshot({ path: `${SHOTS}2-held-notice-preview.png`, fullPage: true });

    // Release it: the message is still in its field; Tab past the extract and Preview to Release.
    const before = stack.sink.mails.length;
    await page.keyboard.press('n');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.equal(await active(page), 'Release notice');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=release/);
    assert.equal(await page.getByRole('status').textContent(), 'Notice released. 1 mail queued.');
    await stack.until(() => stack.sink.mails.length > before, 20_000, 'the released notice');
    const sent = (await readSent(stack.sink.mails.slice(before))).find((m) => m.to === 'admin@example.test')!;
    assert.ok(sent.text.includes(message));
    // The released mail in the thread, with its text.
    await stack.until(async () => (await stack.cases.pool.query(`SELECT 1 FROM case_mails WHERE kind = 'notice' AND state = 'sent'`)).rowCount! > 0, 10_000, 'the notice in the thread');
    await page.reload();
    await page.keyboard.press('t');
    const notice = page.locator('ol.thread li', { hasText: 'to customer · notice · sent' });
    assert.equal(await notice.count(), 1);
    assert.ok((await notice.locator('pre').textContent())!.includes(message));
    await page.screenshot({ path: `${SHOTS}3-thread.png`, fullPage: true });
    const history = (await showCase(stack.cases.pool, threatRef))!.history.find((h) => h.kind === 'released')!;
    assert.equal((history.detail as { message: string }).message, message);

    // Search a target, then a reporter's address.
    await page.keyboard.press('/');
    assert.equal(await active(page), 's-q');
    await page.keyboard.type('203.0.113.7');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Search' }).waitFor();
    const byTarget = await page.locator('table.cases tbody th a').allTextContents();
    assert.deepEqual(byTarget, (await listCases(stack.cases.pool, { all: true })).filter((c) => c.target === '203.0.113.7').map((c) => c.ref));
    await page.keyboard.press('/');
    await page.keyboard.type(CAROL);
    await page.keyboard.press('Enter');
    await page.waitForURL(/search\?q=carol/);
    const carolsCases = (await stack.cases.pool.query<{ ref: string }>(`SELECT c.ref FROM cases c JOIN case_reporters cr ON cr.case_id = c.id JOIN reporters r ON r.id = cr.reporter_id WHERE r.address = $1 ORDER BY c.ref`, [CAROL])).rows.map((r) => r.ref);
    assert.ok(carolsCases.length >= 2, 'she reported two senders');
    assert.match((await page.locator('main p').nth(0).textContent())!, new RegExp(`^${carolsCases.length} cases found, read as reporter`));
    assert.deepEqual((await page.locator('table.cases tbody th a').allTextContents()).sort(), carolsCases);
    await page.screenshot({ path: `${SHOTS}4-search.png`, fullPage: true });

    // The campaign's cases: tick each, then resolve them at once.
    await page.goto(`${api.url}/board?category=spam`);
    const campaign = (await listCases(stack.cases.pool, { category: 'spam' })).map((c) => c.ref);
    assert.ok(campaign.length >= 3);
    for (let i = 0; i < campaign.length; i++) {
      await page.keyboard.press('j');
      await page.keyboard.press('x');
    }
    assert.equal(await page.locator('input[name=refs]:checked').count(), campaign.length);
    await page.keyboard.press('a');
    assert.equal(await active(page), 'b-action'); // "resolve" is the first action
    await page.keyboard.press('Tab');
    await page.keyboard.type('no action');
    await page.keyboard.press('Tab');
    await page.keyboard.type('The sending host was cleaned and blocked.');
    const decisionsBefore = stack.sink.mails.length;
    await page.keyboard.press('Enter');
    await page.waitForURL(/bulk=resolve/);
    assert.match((await page.getByRole('status').textContent())!, new RegExp(`^resolve: ${campaign.length} cases done, \\d+ mails queued\\.$`));
    await page.screenshot({ path: `${SHOTS}5-resolved-together.png`, fullPage: true });
    for (const ref of campaign) assert.equal((await showCase(stack.cases.pool, ref))!.status, 'resolved');

    const reporters = [...new Set(spam.map((s) => s.reporter))];
    await stack.until(async () => new Set((await readSent(stack.sink.mails.slice(decisionsBefore))).map((m) => m.to)).size >= reporters.length, 20_000, 'the decisions');
    await sleep(500);
    const decisions = (await readSent(stack.sink.mails.slice(decisionsBefore))).filter((m) => /Outcome of your report/.test(m.subject));
    for (const r of reporters) assert.equal(decisions.filter((m) => m.to === r).length, 1, `${r} is told once`);
    const carols = decisions.find((m) => m.to === CAROL)!;
    const named = [...new Set([...carols.text.matchAll(/AD-\d{4}-\d{6}/g)].map((m) => m[0]))].sort();
    assert.deepEqual(named, carolsCases.filter((r) => campaign.includes(r)).sort(), 'her one mail names each of her cases');
    await page.context().close();
  });

  it("shows a viewer the reporter's words without who wrote them", async () => {
    const page = await signIn(viewer);
    await page.goto(`${api.url}/board/cases/${threatRef}`);
    const report = (await page.locator('article.report').first().textContent())!;
    assert.match(report, /keep sending me death threats/);
    assert.doesNotMatch(report, /Salom|salome\.victim/i);
    assert.equal(await page.locator('a[download]').count(), 0, 'no .eml for a viewer');
    const thread = (await page.locator('ol.thread').textContent())!;
    assert.doesNotMatch(thread, /Salom|salome/i);
    await page.screenshot({ path: `${SHOTS}6-viewer.png`, fullPage: true });
    await page.context().close();
  });
});
