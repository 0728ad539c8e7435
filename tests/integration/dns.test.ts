import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { DnsResolver } from '../../src/directory/dns-resolver.ts';
import { startTestDns, type TestDns } from '../support/dns-server.ts';
import { readSent } from '../support/sent-mail.ts';
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
    stack.start(['poller', 'triage', 'notify']);
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
    const keys = await stack.redis.keys(`${stack.prefix}:case:*`);
    const record = JSON.parse((await stack.redis.get(keys[0]!))!);
    assert.deepEqual(record.targets, [{ type: 'server', value: 'shop.example.test', customerId: 'C200' }], 'the host owns the target');
    assert.deepEqual(record.customerIds, ['C200', 'C100']);
    assert.ok(sent.some((m) => m.to === 'admin@example.test' && /domaine enregistré par vous/.test(m.text)), 'the registrant is told too');
    assert.ok(record.why.some((w: string) => /^dns: shop\.example\.test → 203\.0\.113\.80 at \d{4}-\d\d-\d\dT/.test(w)), record.why.join('\n'));
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
