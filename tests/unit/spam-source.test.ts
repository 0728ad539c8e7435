import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSpamSources, parseReceived } from '../../src/classify/spam-source.ts';

const findSpamSource = (h: string, domains: string[]) => findSpamSources(h, domains)[0] ?? null;

const headers = (...received: string[]) => `${received.map((r) => `Received: ${r}`).join('\n')}\nFrom: deals@shop.test\nSubject: pills\n\nbody`;

describe('spam source behind the reporter relays', () => {
  it('skips the reporter internal and public relays, and finds the sending server', () => {
    const h = headers(
      'from mx1.reporter.test (mx1.reporter.test [198.51.100.20])\n\tby store.reporter.test (Postfix) with ESMTPS id 1; Mon, 3 Nov 2026 10:00:02 +0000',
      'from filter.reporter.test ([10.0.0.5]) by mx1.reporter.test with ESMTP; Mon, 3 Nov 2026 10:00:01 +0000',
      'from mail.shop.test (mail.shop.test [203.0.113.7]) by filter.reporter.test with ESMTP; Mon, 3 Nov 2026 10:00:00 +0000',
      'from localhost ([127.0.0.1]) by mail.shop.test with ESMTP; Mon, 3 Nov 2026 09:59:59 +0000',
    );
    const src = findSpamSource(h, ['reporter.test']);
    assert.deepEqual({ ip: src?.ip, host: src?.host, hop: src?.hop }, { ip: '203.0.113.7', host: 'mail.shop.test', hop: 2 });
  });

  it("trusts the domain of the reporter's receiving server even when it is not the mail domain", () => {
    const h = headers(
      'from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41]) by mx.google.com with SMTPS',
      'from spammer.example ([192.0.2.99]) by mail-sor-f41.google.com with SMTP',
    );
    assert.equal(findSpamSource(h, ['gmail.com'])?.ip, '192.0.2.99');
  });

  it('reads IPv6 and HELO-only forms, and gives nothing without a public hop', () => {
    assert.deepEqual(parseReceived('from helo.spam.test ([IPv6:2001:db8::25]) by mx.reporter.test'), { fromHost: 'helo.spam.test', fromIp: '2001:db8::25', byHost: 'mx.reporter.test' });
    assert.equal(findSpamSource(headers('from a ([10.1.1.1]) by mx.reporter.test', 'from b ([192.168.1.2]) by a.reporter.test'), ['reporter.test']), null);
    assert.equal(findSpamSource('From: x@y.test\n\nno received here', []), null);
  });
});

describe('relays the reporter cannot vouch for', () => {
  it('follows a consistent relay chain to the sender behind it, keeping the relay as a candidate', () => {
    const h = headers(
      'from relay.nren.test (relay.nren.test [198.51.100.9]) by mx.univ.test',
      'from mail.shop.test (mail.shop.test [203.0.113.7]) by relay.nren.test',
      'from localhost ([127.0.0.1]) by mail.shop.test',
    );
    assert.deepEqual(findSpamSources(h, ['univ.test']).map((s) => s.ip), ['198.51.100.9', '203.0.113.7']);
  });

  it('does not follow a field the relay did not write (forged below)', () => {
    const h = headers(
      'from mail.shop.test (mail.shop.test [203.0.113.7]) by mx.univ.test',
      'from innocent.test (innocent.test [192.0.2.50]) by some.other.test',
    );
    assert.deepEqual(findSpamSources(h, ['univ.test']).map((s) => s.ip), ['203.0.113.7']);
  });
});
