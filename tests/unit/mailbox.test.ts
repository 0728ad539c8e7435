import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReconnectBackoff } from '../../src/mailbox/reconnect-backoff.ts';
import { toUidSet } from '../../src/mailbox/uid-set.ts';

describe('toUidSet', () => {
  it('compresses runs into ranges, sorted and deduplicated', () => {
    assert.equal(toUidSet([5, 1, 2, 3, 3, 9, 10, 7]), '1:3,5,7,9:10');
    assert.equal(toUidSet(Array.from({ length: 10_000 }, (_, i) => i + 1)), '1:10000');
  });
});

describe('ReconnectBackoff', () => {
  it('doubles up to the cap and resets only after a stable connection', () => {
    const b = new ReconnectBackoff(100, 1000, 60_000, () => 1);
    assert.deepEqual([b.next(0), b.next(0), b.next(0), b.next(0), b.next(0), b.next(5000)], [100, 200, 400, 800, 1000, 1000]);
    assert.equal(b.next(60_000), 100);
  });
});
