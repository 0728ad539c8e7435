import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { QUEUES } from '../../src/queue/names.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;
const CUSTOMER = 'admin@example.test'; // the plain-en sample's notice goes here

const messageId = (raw: Buffer): string => /^Message-ID:[ \t]*(\S+)/im.exec(raw.toString('latin1'))?.[1] ?? '';

/** Until the notify queue has nothing left to do (waiting, active or delayed). */
async function notifyIdle(stack: Stack): Promise<void> {
  const q = new Queue(QUEUES.notify, { connection: stack.redis, prefix: stack.prefix });
  await stack.until(async () => {
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(c).every((n) => n === 0);
  }, 60_000, 'the notify queue to drain');
  await q.close();
}

/**
 * A notify worker process killed while the relay has a mail's whole
 * message and has not answered yet, and one killed before the relay had the
 * end of data. The first mail is with the relay and must not be sent again;
 * the second is not and must be. The relay here answers late on purpose
 * (holdAnswerMs), so the kill lands in each window every time.
 */
describe('a notify worker killed in the middle of sending', () => {
  const stacks: Stack[] = [];
  after(async () => {
    for (const s of stacks) await s.stop();
  });

  async function killWhileHeld(stage: 'rcpt' | 'data'): Promise<{ stack: Stack; ids: string[] }> {
    let holding: (() => void) | null = null;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let once = false;
    const stack = await startStack({}, {
      sink: {
        holdAnswerMs: (at, to) => {
          if (at !== stage || to !== CUSTOMER || once) return 0;
          once = true;
          holding!();
          return 60_000;
        },
      },
    });
    stacks.push(stack);
    const start = (): ChildProcess => spawn(process.execPath, [BIN, 'worker', 'notify', '--config', stack.configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
    await stack.start(['poller', 'triage']);
    let child = start();
    const sample = buildSample('plain-en', 1, `doubt-${stage}-${stack.prefix}`);
    await stack.append([sample.raw]);
    await held;
    // The mark, when there is one, leaves with the end of data; give it a moment to land before the kill.
    await sleep(300);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    child = start();
    try {
      // The job comes back after its lock expires (jobs.lockDurationMs + stalledIntervalMs).
      await stack.sink.waitFor(2, 60_000);
      await notifyIdle(stack);
      await sleep(1000);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    }
    return { stack, ids: stack.sink.mails.map((m) => `${m.to.join(',')} ${messageId(m.raw)}`) };
  }

  it('does not send again a mail whose end of data the relay had, and records it on the case', async () => {
    const { stack, ids } = await killWhileHeld('data');
    const notices = ids.filter((id) => id.startsWith(CUSTOMER));
    assert.equal(notices.length, 1, `the notice reached the relay ${notices.length} times`);
    assert.equal(ids.length, 2, 'the acknowledgement and the notice, each once');
    const events = await stack.cases.pool.query<{ detail: { mailKind: string; answer?: string } }>(`SELECT detail FROM case_events WHERE kind = 'mail-sent'`);
    assert.deepEqual(events.rows.map((r) => [r.detail.mailKind, /not seen/.test(r.detail.answer ?? '')]), [['notice', true]]);
  });

  it('sends again, once, a mail whose end of data the relay did not have', async () => {
    const { ids } = await killWhileHeld('rcpt');
    assert.equal(ids.filter((id) => id.startsWith(CUSTOMER)).length, 1, 'the notice, once');
    assert.equal(ids.length, 2);
  });
});

describe('a relay that refuses a message after its end of data, for now', () => {
  let stack: Stack;
  let refusals = 0;
  after(async () => stack?.stop());

  it('withdraws the mark and sends the mail again, once', async () => {
    stack = await startStack({ jobs: { backoffMs: 100 } }, {
      sink: {
        refuseData: (mail) => {
          if (!mail.to.includes(CUSTOMER) || refusals >= 2) return null;
          refusals++;
          return { code: 451, message: 'Temporary local problem, try again' };
        },
      },
    });
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([buildSample('plain-en', 2, `refused-data-${stack.prefix}`).raw]);
    await stack.sink.waitFor(2, 30_000);
    await notifyIdle(stack);
    assert.equal(refusals, 2);
    assert.equal(stack.sink.mails.filter((m) => m.to.includes(CUSTOMER)).length, 1);
  });
});
