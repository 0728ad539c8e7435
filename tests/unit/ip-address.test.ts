import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ipaddr from 'ipaddr.js';
import { canonicalIp, isIPv4Address, isIpAddress } from '../../src/text/ip-address.ts';

// The shortcut must answer exactly as ipaddr.js does, for every form it reads.
const SAMPLES = [
  '192.0.2.1', '0xC0.0x00.0x02.0x01', '0300.0.02.01', '3221225985', '0xc0000201', '192.2.1', '192.513', '10.1',
  '2001:db8::1', '::ffff:192.0.2.1', 'fe80::1%eth0', '::', '[2001:db8::1]',
  'example.com', 'cafe.bad', 'dead.beef', 'face', 'b1.shop.test', '192.0.2.1.example.net', '256.1.1.1', '1.2.3.4.5', '', '.', 'x', '0x', 'abc:def',
];

describe('IP address check', () => {
  it('agrees with ipaddr.js on addresses in every written form, and on host names', () => {
    for (const s of SAMPLES) {
      assert.equal(isIpAddress(s), ipaddr.isValid(s), s);
      assert.equal(isIPv4Address(s), ipaddr.IPv4.isValid(s), s);
    }
    // The forms above that are addresses, so the agreement is not all "no".
    assert.deepEqual(SAMPLES.filter(isIPv4Address), ['192.0.2.1', '0xC0.0x00.0x02.0x01', '0300.0.02.01', '3221225985', '0xc0000201', '192.2.1', '192.513', '10.1']);
    assert.equal(SAMPLES.filter(isIpAddress).length, 12);
  });

  it('gives an address in its canonical form, and nothing for a host name', () => {
    assert.equal(canonicalIp('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(canonicalIp('0xC0.0x00.0x02.0x01'), '192.0.2.1');
    assert.equal(canonicalIp('2001:0db8:0000::0001'), '2001:db8::1');
    assert.equal(canonicalIp('cafe.bad'), null);
    assert.equal(canonicalIp('b1.shop.test'), null);
  });
});
