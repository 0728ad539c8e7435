import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { deepMerge } from '../../src/config/load.ts';
import { freePort } from '../../src/dev/dovecot.ts';
import { operator } from '../support/operators.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;

/** A command of the desk as its own process, its log kept. */
function run(args: string[]): { child: ChildProcess; log: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, log: () => out, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

const status = async (url: string, token?: string): Promise<number> => (await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {})).status;

describe('one process for a small desk; SIGHUP never stops a process', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  });
  const alice = operator('alice', 'agent');
  const bob = operator('bob', 'viewer');

  async function deskConfig(stack: Stack, name: string, api: Record<string, unknown>): Promise<{ file: string; port: number; write(operators: unknown[]): void }> {
    const port = await freePort();
    const file = join(stack.dovecot.dir, name);
    const write = (operators: unknown[]) => writeFileSync(file, stringify(deepMerge(deepMerge(stack.settings, { log: { level: 'info' } }), { api: { ...api, port, operators } })));
    write([alice.entry]);
    return { file, port, write };
  }

  it('abuse-desk start with api.listen serves the API and board; SIGHUP re-reads api.operators (a bad file keeps the ones before); SIGTERM exits 0', async () => {
    const stack = await startStack({});
    cleanup.push(() => stack.stop());
    const cfg = await deskConfig(stack, 'one-process.yaml', { listen: true });
    const desk = run(['start', '--config', cfg.file]);
    cleanup.push(async () => desk.child.kill('SIGKILL'));
    const base = `http://127.0.0.1:${cfg.port}`;
    await stack.until(() => desk.log().includes('abuse-desk started') || desk.child.exitCode !== null, 60_000, 'the desk to start');
    assert.match(desk.log(), /"parts":\["poller","triage","notify","api"\]/);
    assert.equal(await status(`${base}/healthz`), 200);
    assert.equal(await status(`${base}/api/cases`), 401, 'no token, no cases');
    assert.equal(await status(`${base}/api/cases`, alice.token), 200);
    assert.equal((await fetch(`${base}/board`)).status, 401, 'the board asks for a sign-in');

    // Bob replaces Alice in the file: after SIGHUP his token works and hers no longer does.
    cfg.write([bob.entry]);
    desk.child.kill('SIGHUP');
    await stack.until(() => desk.log().includes('api.operators reloaded'), 10_000, 'the operators reloaded');
    assert.equal(await status(`${base}/api/cases`, bob.token), 200);
    assert.equal(await status(`${base}/api/cases`, alice.token), 401);

    // A file that does not load is logged; Bob's token still works; the process lives.
    writeFileSync(cfg.file, 'api: {port: "eighty"}\n');
    desk.child.kill('SIGHUP');
    await stack.until(() => desk.log().includes('api.operators not reloaded'), 10_000, 'the failed reload logged');
    assert.equal(desk.child.exitCode, null);
    assert.equal(await status(`${base}/api/cases`, bob.token), 200);

    desk.child.kill('SIGTERM');
    assert.equal(await desk.exit, 0);
  });

  it('abuse-desk api lives through SIGHUP (it used to exit silently)', async () => {
    const stack = await startStack({});
    cleanup.push(() => stack.stop());
    const cfg = await deskConfig(stack, 'api-only.yaml', {});
    const api = run(['api', '--config', cfg.file]);
    cleanup.push(async () => api.child.kill('SIGKILL'));
    const base = `http://127.0.0.1:${cfg.port}`;
    await stack.until(() => api.log().includes('API listening') || api.child.exitCode !== null, 60_000, 'the API to listen');
    api.child.kill('SIGHUP');
    await stack.until(() => api.log().includes('api.operators reloaded'), 10_000, 'the reload');
    await sleep(500);
    assert.equal(api.child.exitCode, null, 'still running');
    assert.equal(await status(`${base}/api/cases`, alice.token), 200);
    api.child.kill('SIGTERM');
    assert.equal(await api.exit, 0);
  });
});
