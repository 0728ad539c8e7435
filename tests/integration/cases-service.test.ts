import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { listCases, showCase, type CaseListRow } from '../../src/cases/case-queries.ts';
import { CAMPAIGN_IPS, campaignReport, HARASSER_ACCOUNTS, phishingReport, threatReport } from '../support/case-scenarios.ts';
import { readSent, type SentMail } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;
const ONCALL = 'oncall@desk.test';

/**
 * The case scenarios through the running service: `abuse-desk start` plus
 * three more `abuse-desk worker triage` processes (four triage workers in
 * parallel), a private Dovecot and the SMTP sink; every mail is counted at
 * the sink. The three scenarios run at once, interleaved in the mailbox.
 */
describe('cases through abuse-desk start, with 4 triage processes', () => {
  let stack: Stack;
  let sent: SentMail[];
  let cases: CaseListRow[];
  const children: ChildProcess[] = [];
  const phishing = Array.from({ length: 200 }, (_, i) => phishingReport(i, 50, 'svc'));
  const campaign = Array.from({ length: 300 }, (_, i) => campaignReport(i, 'svc'));
  const threats = Array.from({ length: 12 }, (_, i) => threatReport(i, 'svc'));
  const total = phishing.length + campaign.length + threats.length;

  before(async () => {
    stack = await startStack({
      desk: { escalateTo: ONCALL },
      accounts: { atHandles: true },
      // The reporters share one test domain, and the victim writes 12 times in a few seconds.
      caps: { exemptDomains: ['reporter.test'], perAddress: [{ max: 50, windowSec: 600 }] },
    });
    const config = join(stack.dovecot.dir, 'service.yaml');
    writeFileSync(config, stringify(stack.settings));
    const run = (args: string[]): void => {
      children.push(spawn(process.execPath, [BIN, ...args, '--config', config], { stdio: ['ignore', 'ignore', 'inherit'] }));
    };
    run(['start']);
    for (let i = 0; i < 3; i++) run(['worker', 'triage']);
    // Interleaved, so the scenarios' reports race each other across the four workers.
    const raws: Buffer[] = [];
    for (let i = 0; i < campaign.length; i++) {
      raws.push(campaign[i]!.raw);
      if (phishing[i]) raws.push(phishing[i]!.raw);
      if (threats[i]) raws.push(threats[i]!.raw);
    }
    await stack.append(raws);
    await stack.until(async () => (await stack.count('Processed')) === total, 120_000, `all ${total} in Processed`);
    await stack.until(async () => stack.sink.mails.filter((m) => m.to.some((t) => t.endsWith('@reporter.test'))).length >= total, 120_000, 'every reporter acknowledged');
    // Anything extra (a second notice, a repeated escalation) has time to show.
    await sleep(3000);
    sent = await readSent(stack.sink.mails);
    cases = await listCases(stack.cases.pool);
  });

  after(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await stack?.stop();
  });

  const notices = (to: string, target: string): SentMail[] => sent.filter((m) => m.to === to && !m.header('in-reply-to') && m.text.includes(target));

  it('200 reports from 50 reporters about one page: one case, counted, raised, one notice', () => {
    const page = cases.filter((c) => c.target === 'www.example.test');
    assert.equal(page.length, 1, `cases: ${page.map((c) => c.ref).join(', ')}`);
    assert.equal(page[0]!.reports, 200);
    assert.equal(page[0]!.reporters, 50);
    assert.equal(page[0]!.priority, 'urgent', '50 distinct reporters reach cases.raise.urgent');
    assert.equal(notices('admin@example.test', 'www.example.test').length, 1, 'one notice to the customer (the update interval is a day)');
    assert.equal(sent.filter((m) => m.to === ONCALL && m.text.includes(page[0]!.ref)).length, 1, 'escalated once when it became urgent');
  });

  it('every reporter is acknowledged once, with the case and its size', () => {
    for (const r of [...phishing, ...campaign]) {
      const acks = sent.filter((m) => m.to === r.reporter && m.header('in-reply-to'));
      assert.ok(acks.length >= 1, `${r.reporter} not acknowledged`);
    }
    const phishAcks = sent.filter((m) => /^phish\d+@/.test(m.to));
    assert.equal(phishAcks.length, 200);
    const ref = cases.find((c) => c.target === 'www.example.test')!.ref;
    const counts = phishAcks.map((m) => /now holds (\d+) reports/.exec(m.text.replace(/\s+/g, ' '))?.[1]).filter(Boolean).map(Number);
    assert.ok(phishAcks.every((m) => m.text.includes(ref)));
    // Each report was counted under the case's lock: 2…200 each once, and one "opened".
    assert.deepEqual(counts.sort((a, b) => a - b), Array.from({ length: 199 }, (_, i) => i + 2));
  });

  it('300 spam reports from 3 addresses of one customer: one campaign of 300 across the three cases, one notice per case', () => {
    const ipCases = cases.filter((c) => CAMPAIGN_IPS.includes(c.target));
    assert.equal(ipCases.length, 3);
    assert.ok(ipCases.every((c) => c.reports === 100 && c.customer === 'C200'));
    assert.equal(new Set(ipCases.map((c) => c.campaign)).size, 1, 'one campaign');
    assert.ok(ipCases[0]!.campaign);
    assert.equal(ipCases[0]!.campaignReports, 300);
    const toCustomer = sent.filter((m) => m.to === 'ops@shop-hosting.test');
    for (const c of ipCases) assert.equal(toCustomer.filter((m) => m.text.includes(c.ref)).length, 1, `notices about ${c.ref}`);
  });

  it('12 threat reports about 2 accounts: 2 linked cases awaiting review, urgent, nothing to the account holders', async () => {
    const accountCases = cases.filter((c) => HARASSER_ACCOUNTS.includes(c.target));
    assert.equal(accountCases.length, 2);
    for (const c of accountCases) {
      assert.equal(c.status, 'awaiting_review');
      assert.equal(c.priority, 'urgent');
      assert.equal(c.reports, 12);
      assert.equal(c.reporters, 1);
      const shown = await showCase(stack.cases.pool, c.ref);
      assert.deepEqual(shown!.linked.map((l) => l.ref), accountCases.filter((o) => o.ref !== c.ref).map((o) => o.ref));
    }
    for (const m of sent.filter((x) => ['admin@example.test', 'legal@registrant.test'].includes(x.to))) {
      assert.ok(!HARASSER_ACCOUNTS.some((a) => m.text.includes(a)), `the account holders got mail about the threats: ${m.subject}`);
      assert.ok(!/Salom|kill you|victim/i.test(m.text), 'the victim’s words reached a customer');
    }
    const escalations = sent.filter((m) => m.to === ONCALL && accountCases.some((c) => m.text.includes(c.ref)));
    assert.ok(escalations.length >= 1 && escalations.length <= 2, `${escalations.length} escalations (one, plus at most one re-alert)`);
    assert.ok(accountCases.every((c) => escalations[0]!.text.includes(c.ref)), 'one escalation names both cases');
  });

  it('the victim is acknowledged each time, with both case references and the count', () => {
    const acks = sent.filter((m) => m.to === threats[0]!.reporter);
    assert.equal(acks.length, 12);
    const refs = cases.filter((c) => HARASSER_ACCOUNTS.includes(c.target)).map((c) => c.ref);
    for (const a of acks) for (const ref of refs) assert.ok(a.text.includes(ref), `an acknowledgement lacks ${ref}`);
    const counts = acks.flatMap((m) => [...m.text.replace(/\s+/g, ' ').matchAll(/now holds (\d+) reports/g)].map((x) => Number(x[1])));
    // Both cases count each report: 2…12 twice over, and each opened once.
    assert.deepEqual([...new Set(counts)].sort((a, b) => a - b), Array.from({ length: 11 }, (_, i) => i + 2));
    assert.ok(acks.every((a) => /reviews it before anything is sent/.test(a.text.replace(/\s+/g, ' '))));
  });
});
