import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSmtpSink, type Refusal, type SinkOptions, type SmtpSink } from '../../src/dev/smtp-sink.ts';
import { buildSample, type Sample } from '../../src/dev/sample-complaints.ts';
import { createLogger } from '../../src/log.ts';
import { retryDeadLetters } from '../../src/queue/requeue.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

// Each sample yields an acknowledgement and a notice; the one-notice-per-target
// window is off so that every mail a complaint calls for is counted.
const settings = (extra: Record<string, unknown> = {}) => ({
  cases: { noticeUpdateIntervalSec: 0 },
  jobs: { backoffMs: 200 },
  delivery: { maxBackoffMs: 1000 },
  ...extra,
});
const samples = (tag: string, n: number): Sample[] => Array.from({ length: n }, (_, i) => buildSample('plain-en', i, tag));

/** True for the first `ms` after its first call: the relay refuses "for a while" from the first mail on, however long start-up took. */
function forAWhile(ms: number): () => boolean {
  let first = 0;
  return () => {
    first ||= Date.now();
    return Date.now() - first < ms;
  };
}

/** Every mail the complaints call for, sent exactly once. */
async function assertEachOnce(sink: SmtpSink, complaints: Sample[]): Promise<void> {
  const sent = await readSent(sink.mails);
  const counts = new Map<string, number>();
  // The same mail sent twice carries the same Message-ID (one per case notice or acknowledgement).
  for (const m of sent) counts.set(m.header('message-id')!, (counts.get(m.header('message-id')!) ?? 0) + 1);
  assert.deepEqual([...counts.values()].filter((c) => c !== 1), [], 'a mail was sent more than once');
  for (const s of complaints) assert.equal(sent.filter((m) => m.to === s.ackTo).length, 1, `${s.ackTo} acknowledged once`);
  assert.equal(sent.filter((m) => m.to === 'admin@example.test').length, complaints.length, 'one notice per complaint');
}

async function ledgerOutcomes(stack: Stack): Promise<string[]> {
  const keys = await stack.redis.keys(`${stack.prefix}:sent:*`);
  return Promise.all(keys.map(async (k) => (await stack.redis.get(k))!));
}

describe('our relay refusing or down is never a refusal of the recipient', () => {
  let stack: Stack | undefined;
  after(async () => stack?.stop());

  /**
   * Ten complaints through a relay that refuses our own session with
   * `refusal` for 2.5 s from its first mail, then accepts: each mail goes
   * out once, nothing is recorded as refused, and every relay failure raised
   * to ops names `stage`.
   */
  async function refusingForAWhile(tag: string, stage: string, refusal: Refusal, where: (refuse: () => Refusal) => SinkOptions, extra: Record<string, unknown> = {}): Promise<void> {
    let refusals = 0;
    const refusing = forAWhile(2500);
    stack = await startStack(settings(extra), { sink: where(() => (refusing() ? (refusals++, refusal) : null)) });
    const relayStages: string[] = [];
    stack.runtime.events.on('relay-failure', (e) => relayStages.push(e.stage));
    const complaints = samples(tag, 10);
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append(complaints.map((s) => s.raw));
    await stack.sink.waitFor(20, 60_000);
    await sleep(1000);
    assert.ok(refusals > 0, `the relay refused ${stage} at least once`);
    assert.ok(relayStages.length > 0 && relayStages.every((s) => s === stage), relayStages.join());
    await assertEachOnce(stack.sink, complaints);
    assert.ok(!(await ledgerOutcomes(stack)).includes('rejected'), 'nothing recorded as refused');
    await stack.stop();
    stack = undefined;
  }

  it('AUTH answered 535 for a while, then accepted: every mail delivered exactly once', () =>
    refusingForAWhile('auth', 'auth', { code: 535, message: '5.7.8 Authentication credentials invalid' }, (refuse) => ({ refuseAuth: refuse }), {
      smtp: { user: 'desk', password: 'secret' },
    }));

  it('MAIL FROM answered 550 for a while, then accepted: every mail delivered exactly once', () =>
    refusingForAWhile('mailfrom', 'sender', { code: 550, message: '5.7.1 Sender address rejected: not owned by user' }, (refuse) => ({ refuseMailFrom: refuse })));

  it('a relay down past the retry window: mails wait in the dead-letter queue, ops hear of it, retry-dead delivers each once', async () => {
    stack = await startStack(settings({ delivery: { retryForSec: 2, maxBackoffMs: 500 } }));
    const port = stack.sink.port;
    await stack.sink.close(); // the relay is down
    const deadLetters: number[] = [];
    const relayStages = new Set<string>();
    stack.runtime.events.on('dead-letter', (e) => deadLetters.push(e.mails));
    stack.runtime.events.on('relay-failure', (e) => relayStages.add(e.stage));
    const complaints = samples('down', 5);
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append(complaints.map((s) => s.raw));
    const deadQueue = `${stack.prefix}:dead-letter:wait`;
    await stack.until(async () => (await stack!.redis.llen(deadQueue)) === 5, 30_000, 'five cases in the dead-letter queue');
    assert.deepEqual(deadLetters, [2, 2, 2, 2, 2], 'an ops event per dead case, with its two mails');
    assert.deepEqual([...relayStages], ['connection']);
    assert.ok(!(await ledgerOutcomes(stack)).length, 'nothing recorded as sent or refused');

    // The relay is back; ops send the dead letters again, twice by mistake.
    const sink = await startSmtpSink({ port });
    try {
      const logger = createLogger('silent');
      assert.equal(await retryDeadLetters(stack.config, logger), 5);
      assert.equal(await retryDeadLetters(stack.config, logger), 0);
      await sink.waitFor(10, 30_000);
      await sleep(1500);
      await assertEachOnce(sink, complaints);
      assert.equal(await stack.redis.llen(deadQueue), 0);
    } finally {
      await sink.close();
    }
  });
});
