import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

describe('SMTP refusals', () => {
  let stack: Stack;
  let temporaryRefusals = 0;
  const logLines: string[] = [];
  const refusedForGood = buildSample('latin1', 1, 'delivery'); // notice to legal@registrant.test
  const refusedForNow = buildSample('plain-fr', 2, 'delivery'); // notice to ops@shop-hosting.test

  before(async () => {
    stack = await startStack({ jobs: { backoffMs: 100 }, log: { level: 'warn' } }, {
      logTo: { write: (line: string) => void logLines.push(line) },
      reject: (rcpt) => {
        // Real servers quote the address in the refusal.
        if (rcpt === 'legal@registrant.test') return { code: 550, message: `<${rcpt}>: Recipient address rejected: No such user` };
        if (rcpt === 'ops@shop-hosting.test' && temporaryRefusals < 2) {
          temporaryRefusals++;
          return { code: 451, message: 'Try again later' };
        }
        return null;
      },
    });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([refusedForGood.raw, refusedForNow.raw]);
    await stack.sink.waitFor(3, 30_000);
    await sleep(1500);
  });

  after(async () => {
    await stack?.stop();
  });

  it('retries a temporary refusal until the notice goes through, once', async () => {
    const sent = await readSent(stack.sink.mails);
    assert.equal(temporaryRefusals, 2);
    assert.equal(sent.filter((m) => m.to === 'ops@shop-hosting.test').length, 1);
  });

  it('does not retry a permanent refusal, records it, and still acknowledges the reporter', async () => {
    const sent = await readSent(stack.sink.mails);
    assert.equal(sent.filter((m) => m.to === 'legal@registrant.test').length, 0);
    assert.equal(sent.filter((m) => m.to === refusedForGood.ackTo).length, 1);
    assert.equal(sent.filter((m) => m.to === refusedForNow.ackTo).length, 1);
    const keys = await stack.redis.keys(`${stack.prefix}:sent:*notice*`);
    const outcomes = (await Promise.all(keys.map((k) => stack.redis.get(k)))).sort();
    assert.deepEqual(outcomes, ['rejected', 'sent']);
  });

  it('logs the refusals with their codes but without the addresses', () => {
    const refused = logLines.filter((l) => l.includes("refused by the recipient's server"));
    assert.equal(refused.length, 1);
    assert.match(refused[0]!, /"code":550/);
    assert.ok(logLines.some((l) => /"code":451/.test(l)));
    assert.ok(!logLines.some((l) => /@registrant\.test|@shop-hosting\.test|@reporter\.test/.test(l)), logLines.join(''));
  });
});
