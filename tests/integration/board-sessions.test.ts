import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi } from '../../src/http/start-api.ts';
import { listCases } from '../../src/cases/case-queries.ts';
import { phishingReport } from '../support/case-scenarios.ts';
import { operator } from '../support/operators.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { launchChromium } from '../support/chromium.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;
const SHOTS = new URL('../artifacts/board/', import.meta.url).pathname;
const mallory = operator('mallory', 'agent');
const root = operator('root', 'admin');

/** `abuse-desk …` as ops run it, against the test's config. */
function cli(stack: Stack, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [BIN, ...args, '--config', stack.configFile], { encoding: 'utf8' }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );
}

/** A page on another origin (another port) that auto-posts a sign-in form to the desk, as an attacker's page would. */
async function attackerSite(target: string, name: string, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const form = (noReferrer: boolean) => `<!doctype html><html><head>${noReferrer ? '<meta name="referrer" content="no-referrer">' : ''}</head><body>
<form id="f" method="post" action="${target}/board/login">
<input name="operator" value="${name}"><input name="token" value="${token}"><input name="csrf" value="guessed"><input name="next" value="/board">
</form><script>document.getElementById('f').submit()</script></body></html>`;
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(form(req.url === '/no-referrer'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Board sessions in Debian's Chromium: a sign-in posted by a page on
 * another origin is refused; signing out ends the session on the server (its
 * old cookie gets 401); an operator revoked with `abuse-desk operator revoke`
 * gets 401 on their next click; pages carry the security headers; an admin
 * reaches the queue board from their session; sign-in attempts are limited.
 */
describe('board sessions', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  let browser: Browser;
  let ref: string;
  let attacker: { url: string; close(): Promise<void> };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({
      api: { host: '127.0.0.1', port: 0, operators: [mallory.entry, root.entry], signIn: { perAddress: { max: 50, windowSec: 300 }, perOperator: { max: 4, windowSec: 300 } } },
    });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([phishingReport(0, 1, 'sessions').raw]);
    await stack.until(async () => (await listCases(stack.cases.pool)).length === 1, 30_000, 'the case');
    ref = (await listCases(stack.cases.pool))[0]!.ref;
    api = await startApi(stack.runtime);
    attacker = await attackerSite(api.url, mallory.entry.name, mallory.token);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await attacker?.close();
    await api?.close();
    await stack?.stop();
  });

  const signIn = async (context: BrowserContext, name: string, token: string): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${api.url}/board/login`);
    await page.getByLabel('Operator name').fill(name);
    await page.getByLabel('Operator token').fill(token);
    await Promise.all([page.waitForURL(/\/board$/), page.getByRole('button', { name: 'Sign in' }).click()]);
    return page;
  };

  it("refuses a sign-in auto-posted by another origin's page, whatever its referrer policy", async () => {
    for (const path of ['/', '/no-referrer']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // The victim visits the attacker's page; it posts the attacker's own token to the desk.
      const answer = page.waitForResponse((r) => r.url() === `${api.url}/board/login` && r.request().method() === 'POST');
      await page.goto(`${attacker.url}${path}`);
      const res = await answer;
      assert.equal(res.status(), 403, `sign-in from ${attacker.url}${path}`);
      assert.ok(!(await context.cookies(api.url)).some((c) => c.name.endsWith('adk_session')), 'no session cookie was set');
      const board = await page.goto(`${api.url}/board`);
      assert.equal(board!.status(), 401, 'the browser is not signed in as the attacker');
      await context.close();
    }
  });

  it('ends the session on sign-out: the old cookie gets 401', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, mallory.entry.name, mallory.token);
    const session = (await context.cookies(api.url)).find((c) => c.name === 'adk_session')!;
    assert.ok(session.httpOnly && session.sameSite === 'Strict', JSON.stringify(session));
    assert.notEqual(session.value, mallory.token, 'the cookie is a session id, not the token');
    await Promise.all([page.waitForURL(/\/board\/login$/), page.getByRole('button', { name: 'Sign out' }).click()]);
    // The same value again, as a stolen copy would be sent.
    const replay = await fetch(`${api.url}/board`, { headers: { cookie: `adk_session=${session.value}` } });
    assert.equal(replay.status, 401);
    await context.close();
  });

  it("gets a revoked operator's open session a 401 on its next click", async () => {
    const added = await cli(stack, 'operator', 'add', 'temp_agent', 'agent');
    assert.equal(added.code, 0, added.stderr);
    const token = /^(adk_\S+)$/m.exec(added.stdout)![1]!;
    const context = await browser.newContext();
    const page = await signIn(context, 'temp_agent', token);
    const link = page.getByRole('link', { name: ref });
    await link.waitFor();
    const listed = await cli(stack, 'operator', 'list');
    assert.match(listed.stdout, /^temp_agent\s+agent\s+case store\s+active\s+1\s+1$/m, listed.stdout);
    const revoked = await cli(stack, 'operator', 'revoke', 'temp_agent');
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /1 token\(s\) and 1 board session\(s\) ended now/);
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().includes(`/board/cases/${ref}`)), link.click()]);
    assert.equal(res.status(), 401, 'the next click is refused');
    await page.getByLabel('Operator token').waitFor();
    // Their API token is refused too, and so is a config-defined operator once revoked, without a restart.
    assert.equal((await fetch(`${api.url}/api/cases`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
    assert.equal((await cli(stack, 'operator', 'revoke', mallory.entry.name)).code, 0);
    assert.equal((await fetch(`${api.url}/api/cases`, { headers: { authorization: `Bearer ${mallory.token}` } })).status, 401);
    await context.close();
  });

  it('sends the security headers on every page', async () => {
    for (const path of ['/board/login', '/board', '/ops/queues']) {
      const res = await fetch(`${api.url}${path}`, { headers: { accept: 'text/html' } });
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, `${path}: ${csp}`);
      assert.match(csp, /default-src 'none'/, path);
      assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, `${path}: no inline script`);
      assert.doesNotMatch(csp, /https?:|\*/, `${path}: nothing from elsewhere`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
    }
  });

  it("takes an admin from their board session to the queue board, which works under its policy", async () => {
    const context = await browser.newContext();
    const page = await signIn(context, root.entry.name, root.token);
    const blocked: string[] = [];
    page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && /script/i.test(m.text()) && blocked.push(m.text()));
    // Its own API answers the session (the queue list below comes from it).
    const [apiAnswer] = await Promise.all([
      page.waitForResponse((r) => /\/ops\/queues\/api\/queues(\?|$)/.test(r.url())),
      page.waitForURL(/\/ops\/queues/),
      page.getByRole('link', { name: 'Queues' }).click(),
    ]);
    assert.equal(apiAnswer.status(), 200);
    await page.getByText('dead-letter', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.getByText('notify', { exact: true }).first().click();
    await page.getByText(/Completed/i).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}queues-from-session.png` });
    assert.deepEqual(blocked, [], 'no script of the queue board was blocked');
    await context.close();
  });

  it('limits sign-in attempts per operator: after four, even the right token waits', async () => {
    const attempt = async (token: string): Promise<number> => {
      const form = await fetch(`${api.url}/board/login`);
      const cookie = form.headers.get('set-cookie')!.split(';')[0]!;
      const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const res = await fetch(`${api.url}/board/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ operator: root.entry.name, token, csrf }) });
      return res.status;
    };
    // One right attempt was made by the test above; three wrong ones reach the limit of four.
    assert.deepEqual([await attempt('adk_wrong1'), await attempt('adk_wrong2'), await attempt('adk_wrong3')], [401, 401, 401]);
    assert.equal(await attempt(root.token), 429, 'the right token is refused while the operator is limited');
    // Counted in Redis, written once a second.
    await sleep(1200);
    const metrics = await (await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${root.token}` } })).text();
    assert.match(metrics, /^abuse_desk_signins_total\{result="failed"\} [3-9]$/m);
    assert.match(metrics, /^abuse_desk_signins_total\{result="limited"\} [1-9]$/m);
    assert.match(metrics, /^abuse_desk_signins_total\{result="refused"\} [2-9]$/m, 'the two cross-origin posts');
  });
});
