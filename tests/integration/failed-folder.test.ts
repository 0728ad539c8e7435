import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { corpusFile } from '../support/corpus.ts';

// An Outlook .msg file (OLE compound document) sent as if it were a message:
// mailparser finds no header field in it.
const OUTLOOK_MSG = corpusFile('spamscope-mail-parser/mail_outlook_1');
const LIMIT = 256 * 1024;

describe('messages that cannot be ingested', () => {
  let stack: Stack;
  let logLines: string[] = [];
  const good = buildSample('plain-en', 1, 'failed-folder');

  before(async () => {
    // Keep the log lines at error level to check the reasons are logged.
    stack = await startStack({ limits: { maxMessageBytes: LIMIT }, log: { level: 'error' } }, { logTo: { write: (line: string) => void logLines.push(line) } });
    const oversized = Buffer.concat([buildSample('plain-en', 2, 'big').raw, Buffer.alloc(LIMIT, 'x')]);
    await stack.start(['poller', 'triage', 'notify']);
    await stack.append([readFileSync(OUTLOOK_MSG), oversized]);
    await stack.until(async () => (await stack.count('Failed')) === 2, 20_000, 'two messages in Failed');
    await stack.append([good.raw]);
    await stack.sink.waitFor(2, 20_000);
    logLines = logLines.filter((l) => l.includes('failed folder'));
  });

  after(async () => {
    await stack?.stop();
  });

  it('moves the unreadable and the oversized message to Failed, deleting nothing', async () => {
    assert.equal(await stack.count('Failed'), 2);
    assert.equal(await stack.count('INBOX'), 0);
    assert.equal(await stack.count('Processed'), 1);
  });

  it('logs the reason for each, without the content', () => {
    assert.equal(logLines.length, 2);
    assert.ok(logLines.some((l) => /not an RFC 5322 message/.test(l)));
    assert.ok(logLines.some((l) => /over the limit of 262144/.test(l)));
    assert.ok(!logLines.some((l) => /reporter\.test|xxxxxxxx/.test(l)), 'log lines carry no content or address');
  });

  it('keeps running: the next complaint is acknowledged', async () => {
    const sent = await readSent(stack.sink.mails);
    assert.ok(sent.some((m) => m.to === good.ackTo));
  });
});
