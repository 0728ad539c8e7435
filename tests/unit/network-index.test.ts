import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ipaddr from 'ipaddr.js';
import { ipv4Number, ipv6Hex } from '../../src/directory/network-index.ts';

// The fast parsers must agree with ipaddr.js wherever they answer at all.
describe('fast address parsers', () => {
  it('ipv6Hex agrees with ipaddr.js on random and edge-case addresses', () => {
    let seed = 7;
    const r = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const cases = ['::', '::1', '1::', 'fe80::1', '2001:db8::', '2001:DB8:0:0:0:0:0:1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2', '::ffff:1.2.3.4', ''];
    for (let i = 0; i < 5000; i++) {
      const groups = Array.from({ length: 8 }, () => r(0x10000).toString(16));
      const start = r(8);
      const len = r(9 - start);
      const text = len > 1 ? `${groups.slice(0, start).join(':')}::${groups.slice(start + len).join(':')}` : groups.join(':');
      cases.push(r(2) ? text : text.toUpperCase());
    }
    for (const text of cases) {
      const hex = ipv6Hex(text);
      const valid = ipaddr.IPv6.isValid(text) && !text.includes('.');
      if (!valid) {
        assert.equal(hex, null, text);
        continue;
      }
      assert.equal(hex, Buffer.from(ipaddr.IPv6.parse(text).toByteArray()).toString('hex'), text);
    }
  });

  it('ipv4Number reads dotted quads and leaves odd forms to ipaddr.js', () => {
    assert.equal(ipv4Number('192.0.2.10'), 0xc000020a);
    assert.equal(ipv4Number('255.255.255.255'), 0xffffffff);
    for (const odd of ['256.1.1.1', '010.0.0.1', '1.2.3', '1.2.3.4.5', '0x7f.0.0.1', '']) assert.equal(ipv4Number(odd), null, odd);
  });
});
