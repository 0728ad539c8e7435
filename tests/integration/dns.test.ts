import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { DnsResolver } from '../../src/directory/dns-resolver.ts';
import { startTestDns, type TestDns } from '../support/dns-server.ts';
import { readSent } from '../support/sent-mail.ts';
import { listCases, showCase } from '../../src/cases/case-queries.ts';
import { startStack, type Stack } from '../support/stack.ts';

const RECORDS = {
  'shop.example.test': { A: ['203.0.113.80'] },
  'v6only.example.test': { AAAA: ['2001:db8::80'] },
};

describe('DNS: a complaint naming only a host name', () => {
  let dns: TestDns;
  let stack: Stack;

  before(async () => {
    dns = await startTestDns(RECORDS);
    // shop.example.test is in no host entry; 203.0.113.0/24 is hosted by C200,
    // and example.test is registered by C100.
    stack = await startStack({ dns: { enabled: true, servers: [dns.address], timeoutMs: 1000 } });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([Buffer.from('From: Kim <kim@reporter.test>\r\nTo: abuse@example.net\r\nSubject: fake shop\r\nMessage-ID: <dns.1@reporter.test>\r\n\r\nThis fake shop takes money and never delivers: http://shop.example.test/\r\n')]);
    await stack.sink.waitFor(3, 30_000);
  });

  after(async () => {
    await stack?.stop();
    await dns?.close();
  });

  it('notifies the customer hosting the address the name resolves to (and the registrant), recording the lookup', async () => {
    const sent = await readSent(stack.sink.mails);
    const notice = sent.find((m) => m.to === 'ops@shop-hosting.test');
    assert.ok(notice, `mails went to ${sent.map((m) => m.to).join(', ')}`);
    assert.match(notice.text, /shop\.example\.test \(hosted by you\)/);
    const cases = await listCases(stack.cases.pool);
    assert.deepEqual(cases.map((c) => [c.customer, c.targetType, c.target]).sort(), [['C100', 'server', 'shop.example.test'], ['C200', 'server', 'shop.example.test']], 'a case for the host and one for the registrant');
    assert.ok(sent.some((m) => m.to === 'admin@example.test' && /domaine enregistré par vous/.test(m.text)), 'the registrant is told too');
    const shown = await showCase(stack.cases.pool, cases.find((c) => c.customer === 'C200')!.ref);
    const why = (shown!.history.find((h) => h.kind === 'opened')!.detail as { why: string[] }).why;
    assert.ok(why.some((w) => /^dns: shop\.example\.test → 203\.0\.113\.80 at \d{4}-\d\d-\d\dT/.test(w)), why.join('\n'));
  });
});

describe('DnsResolver', () => {
  let dns: TestDns;
  const cfg = { ...loadConfig({ env: {} }).dns, enabled: true, timeoutMs: 300 };

  before(async () => {
    dns = await startTestDns(RECORDS, ['slow.example.test']);
  });
  after(async () => {
    await dns?.close();
  });

  it('asks once per name however many jobs ask, then answers from its cache', async () => {
    const r = new DnsResolver({ ...cfg, servers: [dns.address] });
    const results = await Promise.all(Array.from({ length: 20 }, () => r.resolve('shop.example.test')));
    assert.ok(results.every((x) => x.addresses.join() === '203.0.113.80'));
    await r.resolve('shop.example.test');
    assert.equal(dns.queries.get('shop.example.test A'), 1);
    r.close();
  });

  it('returns IPv6 answers, and no address for an unknown name without calling it an error', async () => {
    const r = new DnsResolver({ ...cfg, servers: [dns.address] });
    assert.deepEqual((await r.resolve('v6only.example.test')).addresses, ['2001:db8::80']);
    const unknown = await r.resolve('nothing.example.test');
    assert.deepEqual(unknown.addresses, []);
    assert.equal(unknown.error, undefined);
    r.close();
  });

  it('gives up on a silent server within its timeout and reports it', async () => {
    const r = new DnsResolver({ ...cfg, servers: [dns.address] });
    const t0 = Date.now();
    const res = await r.resolve('slow.example.test');
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    assert.deepEqual(res.addresses, []);
    assert.match(res.error ?? '', /ETIMEOUT/);
    r.close();
  });
});
