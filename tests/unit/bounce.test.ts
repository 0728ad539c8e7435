import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readOwnBounce } from '../../src/classify/bounce.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { bounceOf } from '../support/forged.ts';

const limits = { maxMessageBytes: 1e7, maxTextChars: 2e5 };
const ours = '<AD-7K2M9QF4XA.acknowledgement.0123456789abcdef@example.net>';

describe('readOwnBounce', () => {
  it('reads the failed recipient of a bounce of our mail', async () => {
    const b = readOwnBounce(await parseMessage(bounceOf(ours, 'Bob@Other.test'), limits), 'example.net');
    assert.deepEqual(b, { failed: ['bob@other.test'], messageIds: ['AD-7K2M9QF4XA.acknowledgement.0123456789abcdef'] });
  });

  it('suppresses nobody on a delayed-delivery notice', async () => {
    const b = readOwnBounce(await parseMessage(bounceOf(ours, 'bob@other.test', 'delayed'), limits), 'example.net');
    assert.deepEqual(b?.failed, []);
  });

  it('ignores a bounce of mail that is not ours', async () => {
    const other = '<AD-7K2M9QF4XA.acknowledgement.0123456789abcdef@forger.test>';
    assert.equal(readOwnBounce(await parseMessage(bounceOf(other, 'bob@other.test'), limits), 'example.net'), null);
    assert.equal(readOwnBounce(await parseMessage(bounceOf('<random@example.net>', 'bob@other.test'), limits), 'example.net'), null);
  });
});
