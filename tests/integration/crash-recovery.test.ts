import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { stringify } from 'yaml';
import { deepMerge } from '../../src/config/load.ts';
import { buildSample, type Sample } from '../../src/dev/sample-complaints.ts';
import { QUEUES } from '../../src/queue/names.ts';
import { startImapTap } from '../support/imap-tap.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;

describe('poller killed between queueing and moving', () => {
  let stack: Stack;
  let samples: Sample[];
  let queuedBeforeKill = 0;
  let inboxAfterKill = 0;
  let uidValidityBefore = 0n;
  let uidValidityAfter = 0n;

  before(async () => {
    // Each sample's mails are counted, so the one-notice-per-target window is off.
    stack = await startStack({ cases: { noticeUpdateIntervalSec: 0 } });
    samples = Array.from({ length: 20 }, (_, i) => buildSample(i % 2 ? 'plain-fr' : 'plain-en', i, stack.prefix));
    const workers = await stack.start(['triage', 'notify']);

    // A real poller process, reaching Dovecot through a tap that SIGKILLs it
    // the moment it asks to MOVE: the jobs are in Redis, the mail still in INBOX.
    let child: ReturnType<typeof spawn> | null = null;
    const tap = await startImapTap({ host: stack.dovecot.host, port: stack.dovecot.port }, /UID MOVE/i, () => child?.kill('SIGKILL'));
    const childConfig = join(stack.dovecot.dir, 'child.yaml');
    writeFileSync(childConfig, stringify(deepMerge(stack.settings, { imap: { port: tap.port } })));
    await stack.append(samples.map((s) => s.raw));
    child = spawn(process.execPath, [BIN, 'poller', '--config', childConfig], { stdio: ['ignore', 'ignore', 'inherit'] });
    const exit = await new Promise<NodeJS.Signals | null>((resolve) => child!.once('exit', (_code, signal) => resolve(signal)));
    assert.equal(exit, 'SIGKILL', 'the poller should have been killed at MOVE');
    await tap.close();

    const triage = new Queue(QUEUES.triage, { connection: stack.redis, prefix: stack.prefix });
    const counts = await triage.getJobCounts();
    queuedBeforeKill = Object.values(counts).reduce((a, b) => a + b, 0);
    inboxAfterKill = await stack.count('INBOX');

    // Let the workers finish those jobs (the acknowledgements go out), then
    // forget the finished jobs as retention eventually would.
    await stack.sink.waitFor(samples.length * 2, 30_000);
    await workers.close();
    const notify = new Queue(QUEUES.notify, { connection: stack.redis, prefix: stack.prefix });
    for (const q of [triage, notify]) await q.clean(0, 10_000, 'completed');

    // And the mailbox's UIDVALIDITY changes under us (as when it is re-created).
    const admin = await stack.imap();
    uidValidityBefore = (await admin.status('INBOX', { uidValidity: true }) as { uidValidity?: bigint }).uidValidity ?? 0n;
    await admin.logout();
    await stack.dovecot.doveadm(['mailbox', 'update', '-u', stack.dovecot.user, '--uid-validity', String(uidValidityBefore + 1000n), 'INBOX']);
    const fresh = await stack.imap();
    uidValidityAfter = (await fresh.status('INBOX', { uidValidity: true }) as { uidValidity?: bigint }).uidValidity ?? 0n;
    await fresh.logout();

    // Restart everything; the poller reads the same 20 messages again.
    await stack.start(['poller', 'triage', 'notify']);
    await stack.until(async () => (await stack.count('Processed')) === samples.length, 30_000, 'all messages in Processed');
    await sleep(2000);
    await triage.close();
    await notify.close();
  });

  after(async () => {
    await stack?.stop();
  });

  it('had queued every message and moved none when it died', () => {
    assert.equal(queuedBeforeKill, samples.length);
    assert.equal(inboxAfterKill, samples.length);
  });

  it('really changed UIDVALIDITY before the restart', () => {
    assert.notEqual(uidValidityAfter, uidValidityBefore);
  });

  it('loses no message and acknowledges none twice after the restart', async () => {
    const sent = await readSent(stack.sink.mails);
    for (const s of samples) {
      const acks = sent.filter((m) => m.to === s.ackTo);
      assert.equal(acks.length, 1, `${s.ackTo} acknowledged ${acks.length} times`);
    }
    assert.equal(sent.length, samples.length * 2, 'one acknowledgement and one notice per complaint');
    assert.equal(await stack.count('INBOX'), 0);
    assert.equal(await stack.count('Processed'), samples.length);
  });
});
