import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { readSent } from '../support/sent-mail.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;

describe('abuse-desk start (one process)', () => {
  let stack: Stack;
  let exitCode: number | null = null;
  let stderr = '';
  const sample = buildSample('plain-fr', 7, 'cli-start');

  before(async () => {
    stack = await startStack();
    const child = spawn(process.execPath, [BIN, 'start', '--config', stack.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await stack.append([sample.raw]);
    await stack.sink.waitFor(2, 30_000);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    exitCode = await exited;
  });

  after(async () => {
    await stack?.stop();
  });

  it('answers a complaint and stops cleanly on SIGTERM', async () => {
    const sent = await readSent(stack.sink.mails);
    assert.deepEqual(sent.map((m) => m.to).sort(), [sample.ackTo, 'ops@shop-hosting.test'].sort());
    assert.equal(exitCode, 0, stderr);
    assert.equal(await stack.count('Processed'), 1);
  });

  it('refuses to start on a bad config, naming the key, with status 78', async () => {
    const { writeFileSync } = await import('node:fs');
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
