import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;

const directory = (owner: string) => ({
  customers: [{ id: owner, name: owner, contact: { email: `abuse@${owner.toLowerCase()}.test` }, servers: ['192.0.2.0/24'] }],
});

describe('abuse-desk start (one process)', () => {
  let stack: Stack;
  let exitCode: number | null = null;
  let stdout = '';
  let stderr = '';
  const first = buildSample('html-only', 7, 'cli-start'); // names 192.0.2.10
  const second = buildSample('html-only', 8, 'cli-start');

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-cli-'));
    const customers = join(dir, 'customers.yaml');
    writeFileSync(customers, stringify(directory('FIRST')));
    stack = await startStack({ directory: { source: customers, watch: false }, log: { level: 'info' } });
    const child = spawn(process.execPath, [BIN, 'start', '--config', stack.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await stack.append([first.raw]);
    await stack.sink.waitFor(2, 30_000);

    // SIGHUP reloads the directory (file watching is off here).
    writeFileSync(customers, stringify(directory('SECOND')));
    child.kill('SIGHUP');
    await stack.until(() => stdout.includes('customer directory reloaded'), 10_000, 'the reload log line');
    await stack.append([second.raw]);
    await stack.sink.waitFor(4, 30_000);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    exitCode = await exited;
  });

  after(async () => {
    await stack?.stop();
  });

  it('answers complaints and stops cleanly on SIGTERM', async () => {
    const sent = await readSent(stack.sink.mails);
    assert.deepEqual(sent.map((m) => m.to).sort(), [first.ackTo, second.ackTo, 'abuse@first.test', 'abuse@second.test'].sort());
    assert.equal(exitCode, 0, stderr);
    assert.equal(await stack.count('Processed'), 2);
  });

  it('reloads the customer directory on SIGHUP', async () => {
    const sent = await readSent(stack.sink.mails);
    const noticeRefs = (to: string) => sent.filter((m) => m.to === to).map((m) => m.subject.match(/\[(AD-\w+)\]/)?.[1]);
    const ackRef = (s: typeof first) => sent.find((m) => m.to === s.ackTo)?.subject.match(/\[(AD-\w+)\]/)?.[1];
    assert.deepEqual(noticeRefs('abuse@first.test'), [ackRef(first)]);
    assert.deepEqual(noticeRefs('abuse@second.test'), [ackRef(second)]);
  });

  it('refuses to start on a bad config, naming the key, with status 78', async () => {
    const bad = `${stack.configFile}.bad.yaml`;
    writeFileSync(bad, 'smtp: {port: "twenty-five"}\n');
    const child = spawn(process.execPath, [BIN, 'start', '--config', bad], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 78);
    assert.match(err, /smtp\.port: .*expected number/);
  });
});
