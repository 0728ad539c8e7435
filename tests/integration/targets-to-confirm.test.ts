import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { startApi } from '../../src/http/start-api.ts';
import { operator } from '../support/operators.ts';
import { readSent } from '../support/sent-mail.ts';
import { apiCaller } from '../support/api-call.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';

/** Where the screenshots go; CI keeps them as artefacts. */
const SHOTS = new URL('../artifacts/targets/', import.meta.url).pathname;

const agent = operator('alice', 'agent');
const viewer = operator('victor', 'viewer');

/**
 * A hand-written phishing report by a brand's security firm: the phishing
 * page is on secure-login.registrant.test (C300's domain); the brand it
 * imitates is www.shop.test, which C200 hosts, named with no words accusing it.
 */
const BRAND = Buffer.from(
  [
    'From: Brand Shield <analyst@brandshield.test>',
    'To: abuse@example.net',
    'Subject: Takedown request for our client',
    'Message-ID: <brand.1@brandshield.test>',
    '',
    'Dear abuse team,',
    '',
    'We act for Shop Hosting Ltd. Their website is https://www.shop.test/ and we',
    'found a page copying its login form, a phishing page, at',
    'http://secure-login.registrant.test/shop/signin',
    'It collects the passwords of their customers. Please remove it.',
    '',
    'Regards,',
    'Brand Shield',
    '',
  ].join('\r\n'),
);

/** A CERT's report (one of many of one form): the phishing server is C200's; its own pages sit on C100's domain. */
const certReport = (n: number, from = 'National CERT <soc@nat-cert.test>'): Buffer =>
  Buffer.from(
    [
      `From: ${from}`,
      'To: abuse@example.net',
      `Subject: Phishing site on your network [NC-${n}]`,
      `Message-ID: <cert.${n}.${from.length}@nat-cert.test>`,
      '',
      'Dear colleagues,',
      '',
      'We have been notified of a phishing site on your network:',
      '',
      `http://203.0.113.45/bank/login.php?n=${n}`,
      '',
      'Please take it down as soon as possible.',
      'More about us: https://alerte.example.test/about',
      '',
      'Regards,',
      'National CERT',
      '',
    ].join('\r\n'),
  );

/**
 * Targets a person can trust, through the running service: what a report
 * only names waits for a person (its customer hears nothing), what it
 * accuses is notified; an agent's dismissal removes the named target and is
 * learned for that sender's later reports of the same form, and for no one
 * else's.
 */
describe('targets to confirm', () => {
  let stack: Stack;
  let api: { url: string; close(): Promise<void> };
  let browser: Browser;
  const signIn = async (who: { token: string; entry: { name: string } }): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${api.url}/board`);
    await page.getByLabel('Operator name').fill(who.entry.name);
    await page.getByLabel('Operator token').fill(who.token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Open cases' }).waitFor();
    return page;
  };
  const call = apiCaller(() => api.url);
  const caseOf = async (target: string, all = false) => (await listCases(stack.cases.pool, { all })).filter((c) => c.target === target);

  before(async () => {
    stack = await startStack({ api: { host: '127.0.0.1', port: 0, operators: [agent.entry, viewer.entry] }, cases: { noticeUpdateIntervalSec: 0 } });
    await stack.start(['poller', 'triage', 'notify']);
    api = await startApi(stack.runtime);
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await stack?.stop();
  });

  it('holds the imitated brand as a target to confirm, notifies the phishing domain, and a dismissal removes the brand', async () => {
    await stack.append([BRAND]);
    await stack.until(async () => (await caseOf('www.shop.test')).length === 1 && (await caseOf('registrant.test')).length === 1, 30_000, 'both cases');
    await stack.until(() => stack.sink.mails.some((m) => m.to.includes('legal@registrant.test')), 20_000, 'the notice to the phishing domain');
    await stack.until(() => stack.sink.mails.some((m) => m.to.includes('analyst@brandshield.test')), 20_000, 'the acknowledgement');
    await sleep(1000);
    const sent = await readSent(stack.sink.mails);
    assert.equal(sent.filter((m) => m.to === 'ops@shop-hosting.test').length, 0, 'the brand\'s host is told nothing');
    assert.match(sent.find((m) => m.to === 'legal@registrant.test')!.text, /secure-login\.registrant\.test/);

    const brand = (await showCase(stack.cases.pool, (await caseOf('www.shop.test'))[0]!.ref))!;
    assert.equal(brand.policy, 'confirm');
    assert.equal(brand.status, 'awaiting_review');
    assert.equal(brand.noticesSent, 0);
    // The case view says how sure each target is, and why.
    const reports = await call(`/api/cases/${brand.ref}/reports`, agent.token);
    const targets = reports.json.reports[0].targets as Array<{ value: string; basis: string; basisWhy: string; toConfirm?: boolean; shape?: string }>;
    assert.equal(targets.find((t) => t.value === 'www.shop.test')!.basis, 'named');
    assert.equal(targets.find((t) => t.value === 'www.shop.test')!.toConfirm, true);
    assert.equal(targets.find((t) => t.value === 'registrant.test')!.basis, 'accused');
    assert.match(targets.find((t) => t.value === 'registrant.test')!.basisWhy, /phishing/);
    // A viewer sees the basis, not where in the report the name stood (a line of the reporter's text).
    const seen = await call(`/api/cases/${brand.ref}/reports`, viewer.token);
    assert.ok(seen.json.reports[0].targets.every((t: { shape?: string }) => t.shape === undefined));
    assert.equal((await call(`/api/cases/${brand.ref}/target`, viewer.token, { method: 'POST', body: { verdict: 'dismiss' } })).status, 403);

    // On the board: the case is listed first, under "Targets to confirm"; the agent dismisses the brand there.
    const page = await signIn(agent);
    const section = page.getByRole('region', { name: /Targets to confirm/ });
    assert.equal(await section.getByRole('link', { name: brand.ref }).count(), 1);
    await page.screenshot({ path: `${SHOTS}1-to-confirm.png`, fullPage: true });
    await section.getByRole('link', { name: brand.ref }).click();
    await page.getByRole('heading', { name: 'Target to confirm' }).waitFor();
    assert.match((await page.locator('td', { hasText: 'named with no words' }).first().textContent())!, /named with no words accusing it/);
    await page.screenshot({ path: `${SHOTS}2-case-to-confirm.png`, fullPage: true });
    // "c" goes to the answer (Enter would confirm); the agent tabs on to dismiss it instead.
    await page.keyboard.press('c');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Confirm target');
    await page.getByRole('region', { name: 'Target to confirm' }).getByLabel('Why (for the history)').fill('the genuine site the page imitates');
    await page.getByRole('button', { name: 'Not what is reported' }).first().click();
    await page.waitForURL(/done=target/);
    assert.match((await page.getByRole('status').textContent())!, /learned/);
    assert.equal(await page.getByRole('heading', { name: 'Target to confirm' }).count(), 0);
    assert.equal((await caseOf('www.shop.test')).length, 0, 'no open case about the brand');
    await page.goto(`${api.url}/board/learned`);
    assert.equal(await page.locator('td', { hasText: 'brandshield.test' }).count(), 1, 'learned for the firm\'s reports');
    await page.close();
    const after = (await showCase(stack.cases.pool, brand.ref))!;
    assert.ok(after.history.some((h) => h.kind === 'target-dismissed' && (h.detail as { withdrawn: boolean }).withdrawn === true));
    // Its held notice never goes: not now, not on release.
    assert.equal((await call(`/api/cases/${brand.ref}/release`, agent.token, { method: 'POST', body: {} })).status, 409);
    await sleep(1000);
    assert.equal((await readSent(stack.sink.mails)).filter((m) => m.to === 'ops@shop-hosting.test').length, 0);
  });

  it("learns a dismissed CERT page for that CERT's reports of the same form, and for no one else's", async () => {
    await stack.append([certReport(1)]);
    await stack.until(async () => (await caseOf('example.test')).length === 1 && (await caseOf('203.0.113.45')).length === 1, 30_000, 'the CERT report\'s cases');
    const own = (await caseOf('example.test'))[0]!;
    const c = (await showCase(stack.cases.pool, own.ref))!;
    assert.equal(c.policy, 'confirm', 'its own page is only named');
    const dismissed = await call(`/api/cases/${own.ref}/target`, agent.token, { method: 'POST', body: { verdict: 'dismiss', reason: "the CERT's own page" } });
    assert.equal(dismissed.status, 200, JSON.stringify(dismissed.json));
    assert.equal(dismissed.json.learned, 1);
    const rules = ((await call('/api/learned-rules', agent.token)).json.rules as Array<{ id: string; source: string; value: string; verdict: string; originRef: string }>).filter((r) => r.source === 'nat-cert.test');
    assert.deepEqual(rules.map((r) => [r.source, r.value, r.verdict, r.originRef]), [['nat-cert.test', 'example.test', 'dismiss', own.ref]]);
    assert.equal((await call('/api/learned-rules', viewer.token)).status, 403);

    // Ten more of the same form: the phishing server's case takes them; the CERT's page opens nothing.
    await stack.append(Array.from({ length: 10 }, (_, k) => certReport(k + 2)));
    await stack.until(async () => (await caseOf('203.0.113.45'))[0]?.reports === 11, 60_000, 'ten more reports on the phishing case');
    assert.equal((await caseOf('example.test')).length, 0, 'the dismissed page is not reported again');
    const views = (await call(`/api/cases/${(await caseOf('203.0.113.45'))[0]!.ref}/reports?limit=20`, agent.token)).json.reports as Array<{ subject: string; targets: Array<{ value: string; role: string; why: string }> }>;
    const later = views.filter((v) => !/\[NC-1\]/.test(v.subject));
    assert.equal(later.length, 10);
    for (const v of later) {
      const t = v.targets.find((x) => x.value === 'example.test')!;
      assert.equal(t.role, 'context', v.subject);
      assert.match(t.why, new RegExp(`dismissed by an agent on ${own.ref}`));
    }

    // Another sender, the same words: unaffected.
    await stack.append([certReport(50, 'Some Person <someone@elsewhere.test>')]);
    await stack.until(async () => (await caseOf('example.test')).length === 1, 30_000, "another sender's report names the page as before");

    // Removing the rule: the CERT's next report names its page again (it joins that open case).
    assert.equal((await call(`/api/learned-rules/${rules[0]!.id}`, agent.token, { method: 'DELETE' })).status, 200);
    assert.equal((await call(`/api/learned-rules/${rules[0]!.id}`, agent.token, { method: 'DELETE' })).status, 404);
    await stack.append([certReport(60)]);
    await stack.until(async () => (await caseOf('example.test'))[0]?.reports === 2, 30_000, 'the page reported again once the rule is gone');
  });

  it('sends the held notice once an agent confirms the target, and learns that too', async () => {
    await stack.append([certReport(70, 'Watch Team <team@watch.test>')]);
    // It joins the open case about the page (the other sender's and the CERT's last report).
    await stack.until(async () => (await caseOf('example.test'))[0]?.reports === 3, 30_000, "the watch team's report on the case about the page");
    const ref = (await caseOf('example.test'))[0]!.ref;
    assert.equal((await showCase(stack.cases.pool, ref))!.policy, 'confirm');
    const before = (await readSent(stack.sink.mails)).filter((m) => m.to === 'admin@example.test').length;
    const confirmed = await call(`/api/cases/${ref}/target`, agent.token, { method: 'POST', body: { verdict: 'confirm' } });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.json));
    assert.deepEqual(confirmed.json.mails, ['notice']);
    await stack.until(async () => (await readSent(stack.sink.mails)).filter((m) => m.to === 'admin@example.test').length === before + 1, 20_000, 'the notice');
    const c = (await showCase(stack.cases.pool, ref))!;
    assert.equal(c.policy, 'notify');
    assert.equal(c.status, 'open');
    assert.equal((await call(`/api/cases/${ref}/target`, agent.token, { method: 'POST', body: { verdict: 'confirm' } })).status, 409, 'nothing left to confirm');
    const rules = (await call('/api/learned-rules', agent.token)).json.rules as Array<{ source: string; verdict: string }>;
    // Learned for each sender whose reports named it there.
    assert.deepEqual(rules.filter((r) => r.verdict === 'confirm').map((r) => r.source).sort(), ['elsewhere.test', 'nat-cert.test', 'watch.test']);
  });

  it('takes a later report that accuses a waiting target as its confirmation', async () => {
    const person = (n: number, body: string): Buffer =>
      Buffer.from(`From: Pat Reporter <pat@reporter.test>\r\nTo: abuse@example.net\r\nSubject: Report ${n}\r\nMessage-ID: <later.${n}@reporter.test>\r\n\r\n${body}\r\n\r\nPat\r\n`);
    // Named only: beside the accused page, with no word about it.
    await stack.append([person(1, 'We act for a bank. Their server is http://192.0.2.10/ and we found a phishing page at\r\nhttp://secure-login.registrant.test/bank/signin')]);
    await stack.until(async () => (await caseOf('192.0.2.10')).length === 1, 30_000, 'the case waiting for a person');
    const ref = (await caseOf('192.0.2.10'))[0]!.ref;
    assert.equal((await showCase(stack.cases.pool, ref))!.policy, 'confirm');
    const before = (await readSent(stack.sink.mails)).filter((m) => m.to === 'admin@example.test').length;
    await stack.append([person(2, 'The phishing kit at http://192.0.2.10/kit/ is still live.')]);
    await stack.until(async () => (await readSent(stack.sink.mails)).filter((m) => m.to === 'admin@example.test').length === before + 1, 30_000, 'the notice once a report accuses it');
    const c = (await showCase(stack.cases.pool, ref))!;
    assert.equal(c.policy, 'notify');
    assert.equal(c.noticesSent, 1);
    assert.ok(c.history.some((h) => h.kind === 'target-confirmed' && (h.detail as { by?: string }).by === 'a later report states or accuses it'));
  });
});
