import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { untilStoreAnswers } from '../../src/cases/wait-for-store.ts';

const logger = pino({ level: 'silent' });
const fail = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('a long-running process starting while the case store is out', () => {
  it('tries again while the store is unreachable, then goes on with what it answered', async () => {
    let calls = 0;
    const value = await untilStoreAnswers(
      async () => {
        calls += 1;
        if (calls === 1) throw fail('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
        if (calls === 2) throw fail('57P03', 'the database system is starting up');
        return 'open';
      },
      { logger, initialMs: 5, maxMs: 10 },
    );
    assert.equal(value, 'open');
    assert.equal(calls, 3);
  });

  it('stops at once on a configuration error (wrong password, missing database): waiting would not fix it', async () => {
    for (const err of [fail('28P01', 'password authentication failed for user "desk"'), fail('3D000', 'database "cases" does not exist')]) {
      let calls = 0;
      await assert.rejects(
        untilStoreAnswers(
          async () => {
            calls += 1;
            // Were it tried again, the second call would answer: the test then fails at once instead of waiting forever.
            if (calls === 1) throw err;
            return 'open';
          },
          { logger, initialMs: 5, maxMs: 10 },
        ),
        err,
      );
      assert.equal(calls, 1, err.message);
    }
  });
});
