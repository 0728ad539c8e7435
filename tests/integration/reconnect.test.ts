import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPoller } from '../../workers/poller.ts';
import { deepMerge, loadConfig } from '../../src/config/load.ts';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { createLogger } from '../../src/log.ts';
import { createRuntime } from '../../src/runtime.ts';
import { startImapTap, type ImapTap } from '../support/imap-tap.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

describe('poller when the IMAP connection drops', () => {
  let stack: Stack;
  let tap: ImapTap;
  const first = [1, 2, 3].map((i) => buildSample('plain-en', i, 'reconnect-a'));
  const second = [4, 5, 6].map((i) => buildSample('plain-en', i, 'reconnect-b'));

  before(async () => {
    // Each sample's mails are counted, so the one-notice-per-target window is off.
    stack = await startStack({ cases: { noticeUpdateIntervalSec: 0 } });
    tap = await startImapTap({ host: stack.dovecot.host, port: stack.dovecot.port });
    // The poller reaches Dovecot only through the tap; the test's own client does not.
    const config = loadConfig({ overrides: deepMerge(stack.settings, { imap: { port: tap.port } }), env: {} });
    const runtime = await createRuntime(config, createLogger('silent'));
    const poller = startPoller(runtime);
    const workers = await stack.start(['triage', 'notify']);

    await stack.append(first.map((s) => s.raw));
    await stack.until(async () => (await stack.count('Processed')) === 3, 20_000, 'first three processed');
    tap.cut();
    await stack.append(second.map((s) => s.raw));
    await stack.until(async () => (await stack.count('Processed')) === 6, 20_000, 'the three sent after the cut processed');
    await stack.sink.waitFor(12, 20_000);
    await poller.close();
    await workers.close();
    runtime.close();
  });

  after(async () => {
    await tap?.close();
    await stack?.stop();
  });

  it('reconnects by itself and handles mail that arrived after the cut, once each', async () => {
    const sent = await readSent(stack.sink.mails);
    for (const s of [...first, ...second]) assert.equal(sent.filter((m) => m.to === s.ackTo).length, 1, s.ackTo!);
    assert.equal(await stack.count('INBOX'), 0);
  });
});
