import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directoryFromData } from '../../src/directory/load-directory.ts';

const dir = directoryFromData(
  {
    customers: [
      { id: 'A', name: 'A', contact: { email: 'a@a.test' }, domains: ['shop.co.uk', 'alice.github.io'], servers: ['192.0.2.0/24', '2001:db8::/32'] },
      { id: 'B', name: 'B', contact: { email: 'b@b.test' }, servers: ['192.0.2.128/25', '*.cdn.test', 'www.shop.co.uk', '2001:db8:1::/48'], accounts: ['Zoë'] },
    ],
  },
);
const ids = (ms: Array<{ customerId: string }>) => ms.map((m) => m.customerId);

describe('customer directory', () => {
  it('longest prefix wins for nested networks, IPv4 and IPv6', () => {
    assert.deepEqual(ids(dir.byAddress('192.0.2.10')), ['A']);
    assert.deepEqual(ids(dir.byAddress('192.0.2.200')), ['B']);
    assert.deepEqual(ids(dir.byAddress('2001:db8:1::5')), ['B']);
    assert.deepEqual(ids(dir.byAddress('2001:db8:2::5')), ['A']);
    assert.deepEqual(ids(dir.byAddress('198.51.100.1')), []);
  });

  it('matches IPv4-mapped IPv6 as IPv4', () => {
    assert.deepEqual(ids(dir.byAddress('::ffff:192.0.2.200')), ['B']);
  });

  it('matches a subdomain to its registered domain by the Public Suffix List', () => {
    assert.deepEqual(ids(dir.registrantsOf('deep.www.shop.co.uk')), ['A']);
    assert.deepEqual(ids(dir.registrantsOf('co.uk')), []);
    assert.deepEqual(ids(dir.registrantsOf('bob.github.io')), [], 'github.io is a private suffix: bob is not alice');
    assert.deepEqual(ids(dir.registrantsOf('x.alice.github.io')), ['A']);
  });

  it('matches wildcard and exact hosted names', () => {
    assert.deepEqual(ids(dir.hostedBy('img.cdn.test')), ['B']);
    assert.deepEqual(ids(dir.hostedBy('cdn.test')), []);
    assert.deepEqual(ids(dir.hostedBy('WWW.Shop.co.uk.')), ['B']);
  });

  it('matches accounts case-insensitively after Unicode normalisation', () => {
    assert.deepEqual(ids(dir.byAccount('@ZOË')), ['B']);
    assert.deepEqual(ids(dir.byAccount('zoe\u0308')), ['B'], 'combining diaeresis normalises to ë');
  });

  it('rejects a bad directory naming the customer and key', () => {
    assert.throws(() => directoryFromData({ customers: [{ id: 'X', name: 'X', contact: { email: 'nope' } }] }), /customers\[0\]\.contact\.email/);
    assert.throws(() => directoryFromData({ customers: [{ id: 'X', name: 'X', contact: { email: 'x@x.test' }, servers: ['not a host!'] }] }), /customers\[0\] \(X\): server "not a host!"/);
  });
});
