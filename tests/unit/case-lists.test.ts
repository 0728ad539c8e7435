import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchKindOf, targetOf } from '../../src/cases/case-lists.ts';

describe('what a search box holds (pure)', () => {
  it('reads references, Message-IDs, addresses, hosts and IPs, else words', () => {
    const cases: Array<[string, string]> = [
      ['AD-2026-000123', 'ref'],
      ['ad-2026-000123', 'ref'],
      ['<abc.123@mail.example>', 'message-id'],
      ['jane.roe@reporter.test', 'reporter'],
      ['www.shop.test', 'target'],
      ['https://www.shop.test/login?x=1', 'target'],
      ['198.51.100.7', 'target'],
      ['2001:db8::1', 'target'],
      ['bank passwords', 'text'],
      ['faux magasin', 'text'],
      ['AD-2026', 'text'],
      ['1234', 'text'],
    ];
    for (const [q, kind] of cases) assert.equal(searchKindOf(q, 'AD'), kind, q);
    assert.equal(searchKindOf('XY-2026-000001', 'XY'), 'ref', 'the desk’s own prefix');
  });

  it('takes the host of a pasted URL', () => {
    assert.equal(targetOf('HTTPS://User@WWW.Shop.Test:8443/a/b?c'), 'www.shop.test');
    assert.equal(targetOf('shop.test.'), 'shop.test');
    assert.equal(targetOf('shop.test/path'), 'shop.test');
  });
});
