import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAuthenticationResults, trustedAuthResults } from '../../src/classify/authentication-results.ts';
import { caseReferenceIn } from '../../src/cases/replies.ts';
import { replyTrust, type ReplyTrustInput } from '../../src/cases/reply-trust.ts';
import { casePlusAddress, customerReplyTag, isCustomerReplyTag } from '../../src/cases/reply-address.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';

const secret = Buffer.alloc(32, 7);
const REF = 'AD-2026-000042';
const input: ReplyTrustInput = { caseRef: REF, replySecret: secret, deskAddress: 'abuse@example.net', customerContact: 'ops@shop-hosting.test', trustedAuthServIds: ['mx.example.net'] };

const reply = (headers: string[], body = 'We removed the page.') =>
  parseMessage(Buffer.from([...headers, 'Subject: Re: your notice', 'Message-ID: <r.1@shop-hosting.test>', '', body, ''].join('\r\n')), { maxMessageBytes: 1e6, maxTextChars: 1e5 });

describe('Authentication-Results (RFC 8601)', () => {
  it('reads the authserv-id, each method, its result and properties, ignoring comments and quotes', () => {
    const r = parseAuthenticationResults(
      'mx.example.net 1; spf=pass (sender SPF authorized) smtp.mailfrom=shop-hosting.test;\r\n dkim=pass (2048-bit key; unprotected) header.d=shop-hosting.test header.s="s1; x";\r\n dmarc=pass (p=REJECT sp=NONE) header.from=shop-hosting.test',
    )!;
    assert.equal(r.authservId, 'mx.example.net');
    assert.deepEqual(r.results.map((x) => `${x.method}=${x.result}`), ['spf=pass', 'dkim=pass', 'dmarc=pass']);
    assert.equal(r.results[1]!.props['header.d'], 'shop-hosting.test');
    assert.equal(r.results[1]!.props['header.s'], 's1; x');
    assert.equal(r.results[2]!.props['header.from'], 'shop-hosting.test');
  });

  it('keeps only what a trusted server wrote', () => {
    const fields = ['evil.test; dmarc=pass header.from=shop-hosting.test', 'MX.example.net; dmarc=fail header.from=shop-hosting.test'];
    assert.deepEqual(trustedAuthResults(fields, ['mx.example.net']).map((r) => r.result), ['fail']);
    assert.deepEqual(trustedAuthResults(fields, []), []);
  });

  it('is linear on hostile input', () => {
    const t = Date.now();
    parseAuthenticationResults(`mx; ${'('.repeat(100_000)}`);
    parseAuthenticationResults(`mx; ${'a=b '.repeat(50_000)}`);
    parseAuthenticationResults(`mx; ${'"\\'.repeat(50_000)}`);
    assert.ok(Date.now() - t < 1000);
  });
});

describe('reply addresses', () => {
  it('gives the customer a tag only the desk can make, the reporter none', () => {
    const tag = customerReplyTag(secret, REF);
    assert.match(tag, /^[a-z2-9]{12}$/);
    assert.equal(customerReplyTag(secret, REF), tag, 'stable');
    assert.notEqual(customerReplyTag(secret, 'AD-2026-000043'), tag, 'per case');
    assert.notEqual(customerReplyTag(Buffer.alloc(32, 8), REF), tag, 'per desk');
    assert.equal(casePlusAddress('abuse@example.net', REF, tag), `abuse+${REF}.${tag}@example.net`);
    assert.equal(casePlusAddress('abuse@example.net', REF), `abuse+${REF}@example.net`);
    assert.ok(isCustomerReplyTag(secret, REF, tag.toUpperCase()));
    assert.ok(!isCustomerReplyTag(secret, REF, 'aaaaaaaaaaaa'));
  });

  it('finds the case and the tag of a reply sent to the tagged address', async () => {
    const tag = customerReplyTag(secret, REF);
    const m = await reply(['From: Shop Ops <ops@shop-hosting.test>', `To: abuse+${REF}.${tag}@example.net`]);
    assert.deepEqual(caseReferenceIn(m, 'AD', 'example.net'), { ref: REF, via: 'address', tag });
  });
});

describe('whether a reply in the customer’s name may change its case', () => {
  it("trusts one sent to the case's customer reply address, from anywhere", async () => {
    const tag = customerReplyTag(secret, REF);
    const m = await reply(['From: Someone <x@elsewhere.test>', `To: abuse+${REF}.${tag}@example.net`]);
    assert.deepEqual(replyTrust(m, input), { verified: true, via: 'reply-address', why: "sent to the case's customer reply address" });
    // The envelope recipient our server wrote counts too (a Bcc, a list expansion).
    const env = await reply(['From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net', `Delivered-To: abuse+${REF}.${tag}@example.net`]);
    assert.equal(replyTrust(env, input).via, 'reply-address');
  });

  it('does not trust a wrong tag, another case’s tag, or the plain plus-address', async () => {
    for (const to of [`abuse+${REF}.aaaaaaaaaaaa@example.net`, `abuse+${REF}.${customerReplyTag(secret, 'AD-2026-000043')}@example.net`, `abuse+${REF}@example.net`]) {
      const m = await reply(['From: Shop Ops <ops@shop-hosting.test>', `To: ${to}`]);
      assert.equal(replyTrust(m, input).verified, false, to);
    }
  });

  it('does not trust a forged From with no authentication results, nor results another server wrote', async () => {
    const forged = await reply(['From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net']);
    const t = replyTrust(forged, input);
    assert.equal(t.verified, false);
    assert.match(t.why, /no Authentication-Results from our receiving server/);
    const planted = await reply(['Authentication-Results: mx.attacker.test; dmarc=pass header.from=shop-hosting.test', 'From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net']);
    assert.equal(replyTrust(planted, input).verified, false);
    assert.match(replyTrust(forged, { ...input, trustedAuthServIds: [] }).why, /trustedAuthServIds is empty/);
  });

  it('trusts our server’s DMARC pass for a From in the customer’s domain, not for another domain or a failing result', async () => {
    const ok = await reply(['Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=shop-hosting.test; dmarc=pass (p=reject) header.from=shop-hosting.test', 'From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net']);
    assert.deepEqual(replyTrust(ok, input).via, 'dmarc');
    // A colleague at the same organisation (a subdomain) writes too.
    const colleague = await reply(['Authentication-Results: mx.example.net; dmarc=pass header.from=noc.shop-hosting.test', 'From: NOC <noc@noc.shop-hosting.test>', 'To: abuse@example.net']);
    assert.equal(replyTrust(colleague, input).via, 'dmarc');
    const otherDomain = await reply(['Authentication-Results: mx.example.net; dmarc=pass header.from=attacker.test', 'From: Shop Ops <ops@attacker.test>', 'To: abuse@example.net']);
    assert.equal(replyTrust(otherDomain, input).verified, false);
    const mismatch = await reply(['Authentication-Results: mx.example.net; dmarc=pass header.from=attacker.test', 'From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net']);
    assert.equal(replyTrust(mismatch, input).verified, false, 'DMARC passed for another From');
    const failed = await reply(['Authentication-Results: mx.example.net; dmarc=fail header.from=shop-hosting.test', 'From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net']);
    assert.match(replyTrust(failed, input).why, /no DMARC or aligned DKIM pass \(dmarc=fail\)/);
  });

  it('trusts a DKIM pass by the customer’s domain with the From aligned, not one by another signer', async () => {
    const ok = await reply(['Authentication-Results: mx.example.net; dkim=pass header.d=shop-hosting.test header.s=s1', 'From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net']);
    assert.equal(replyTrust(ok, input).via, 'dkim');
    const other = await reply(['Authentication-Results: mx.example.net; dkim=pass header.d=bulkmailer.test', 'From: Shop Ops <ops@shop-hosting.test>', 'To: abuse@example.net']);
    assert.equal(replyTrust(other, input).verified, false);
  });
});
