import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allReceivedFields, asWritten, clientAddresses, findSpamSources, parseReceived, singleSpaced } from '../../src/classify/spam-source.ts';

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

describe('headers as people paste them', () => {
  it('reads a Received field whose folds lost their indent, or that breaks right after "by"', () => {
    // As Gmail's "Show original" copy and quoted-printable bodies give them.
    const pasted = 'Received: from li1.members.host.test\n(li1.members.host.test. [203.0.113.208])\nby mx.google.com with ESMTPS id x\nReceived: from [198.51.100.102] (port=49511 helo=pc) by\nnode1.mailer.test with esmtpsa\nFrom: x@y.test\n\nbody';
    assert.deepEqual(findSpamSources(pasted, []).map((s) => s.ip), ['203.0.113.208']);
    assert.deepEqual(allReceivedFields(pasted).map((f) => parseReceived(f)), [
      { fromHost: 'li1.members.host.test', fromIp: '203.0.113.208', byHost: 'mx.google.com' },
      { fromHost: null, fromIp: '198.51.100.102', byHost: 'node1.mailer.test' },
    ]);
  });

  it('reads headers pasted with a blank line after every line, and leaves other text alone', () => {
    const fields = ['Received: from mx.relay.test (203.0.113.9) by', ' mx.reporter.test with SMTP', 'Received-SPF: None', 'Received: from mail.shop.test (192.0.2.44) by', ' mx.relay.test with SMTP', 'From: deals@shop.test', 'Subject: pills', 'To: me@reporter.test', 'Date: Mon, 3 Nov 2026', 'Message-ID: <1@shop.test>', 'MIME-Version: 1.0', 'Content-Type: text/plain', 'X-A: 1', 'X-B: 2'];
    const doubled = `I forward this.\n\n${fields.join('\n\n')}\n\nBuy now`;
    assert.deepEqual(findSpamSources(doubled.slice(doubled.indexOf('Received')), ['reporter.test']).map((s) => s.ip), ['203.0.113.9'], 'as pasted, a blank line cuts the first field: its relay is taken for the source');
    const single = singleSpaced(doubled);
    assert.ok(single.startsWith('I forward this.\n\nReceived: from mx.relay.test'), "the reporter's words keep their blank lines");
    assert.deepEqual(findSpamSources(single.slice(single.indexOf('Received')), ['reporter.test']).map((s) => s.ip), ['203.0.113.9', '192.0.2.44']);
    const prose = 'Received: from a (192.0.2.1) by b\n\nDear abuse team,\nplease act.\n\nThanks';
    assert.equal(singleSpaced(prose), prose);
  });

  it('reads headers flattened onto one line, and leaves a line with one Received field alone', () => {
    const flat = 'header\nReceived: from mx2.reporter.test (::1) by mx1.reporter.test with HTTPS; Mon, 5 Aug 2024 Received: from mail.shop.test (192.0.2.44) by mx2.reporter.test with ESMTP; Mon, 5 Aug 2024 Received-SPF: Pass (x: domain of shop.test designates 192.0.2.44 as permitted sender) From: "Deals" <deals@shop.test> Subject: pills\n\nBuy';
    const written = asWritten(flat);
    assert.deepEqual(findSpamSources(written.slice(written.indexOf('Received')), ['reporter.test']).map((s) => s.ip), ['192.0.2.44']);
    assert.equal(allReceivedFields(flat).length, 2);
    const one = 'See the line Received: from a (192.0.2.1) by b in the log: From: x';
    assert.equal(asWritten(one), one);
  });

  it('stops at a server the sender\'s domain authorises (SPF pass): it is the sender\'s, not a relay of the reporter\'s', () => {
    const chain = (spf: string) =>
      `Received: from out.host.test (out.host.test [203.0.113.150]) by mx.google.com\nReceived: from [198.51.100.9] (helo=pc) by out.host.test\nReceived-SPF: ${spf} (google.com: domain of news@shop.test designates 203.0.113.150 as permitted sender)\nFrom: news@shop.test\n\nbody`;
    assert.deepEqual(findSpamSources(chain('pass'), []).map((s) => s.ip), ['203.0.113.150']);
    assert.deepEqual(findSpamSources(chain('neutral'), []).map((s) => s.ip), ['203.0.113.150', '198.51.100.9']);
  });

  it('names the client a provider says handed it the message', () => {
    assert.deepEqual(clientAddresses('X-Originating-IP: [192.0.2.98]\n> X-Sender-IP: 2001:db8::1\nX-Source-IP: not-an-ip\nSubject: x'), ['192.0.2.98', '2001:db8::1']);
  });
});
