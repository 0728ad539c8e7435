import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { buildSample, type Sample } from '../../src/dev/sample-complaints.ts';
import { deepMerge } from '../../src/config/load.ts';
import { Queue } from 'bullmq';
import { QUEUES } from '../../src/queue/names.ts';
import { startImapTap } from '../support/imap-tap.ts';
import { PG_URL, startStack, type Stack } from '../support/stack.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;

/** `abuse-desk start` as its own process, its JSON log lines kept. */
interface Desk {
  child: ChildProcess;
  lines: Array<{ level: number; time: number; msg: string; err?: { message: string } }>;
  /** Set once the process exited: code, and how long after `stop()` was called. */
  exit: Promise<{ code: number | null; afterStopMs: number }>;
  stop(): Promise<{ code: number | null; afterStopMs: number }>;
}

function startDesk(stack: Stack, settings: Record<string, unknown>): Desk {
  const file = join(stack.dovecot.dir, `desk-${Date.now()}.yaml`);
  // The desk logs at info, as in production: its error lines are counted.
  writeFileSync(file, stringify(deepMerge(deepMerge(stack.settings, { log: { level: 'info' } }), settings)));
  const child = spawn(process.execPath, [BIN, 'start', '--config', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Desk['lines'] = [];
  let rest = '';
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop()!;
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p));
      } catch {
        // not a log line
      }
    }
  });
  let stopAt = 0;
  const exit = new Promise<{ code: number | null; afterStopMs: number }>((resolve) => child.once('exit', (code) => resolve({ code, afterStopMs: stopAt ? Date.now() - stopAt : -1 })));
  return {
    child,
    lines,
    exit,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        stopAt = Date.now();
        child.kill('SIGTERM');
      }
      return exit;
    },
  };
}

/** Appends the samples in bursts of `burst` every `everyMs`, as a busy mailbox receives them. */
async function appendInBursts(stack: Stack, samples: readonly Sample[], burst: number, everyMs: number): Promise<void> {
  const t0 = Date.now();
  for (let i = 0; i < samples.length; i += burst) {
    const wait = t0 + (i / burst) * everyMs - Date.now();
    if (wait > 0) await sleep(wait);
    await stack.append(samples.slice(i, i + burst).map((s) => s.raw));
  }
}

/** When each reporter's acknowledgement reached the sink, and how many arrived for each. */
function acknowledgements(stack: Stack, samples: readonly Sample[]): { count: Map<string, number>; lastAt: number } {
  const wanted = new Set(samples.map((s) => s.ackTo!));
  const count = new Map<string, number>();
  let lastAt = 0;
  for (const m of stack.sink.mails) {
    for (const to of m.to) {
      if (!wanted.has(to)) continue;
      count.set(to, (count.get(to) ?? 0) + 1);
      lastAt = Math.max(lastAt, m.receivedAt);
    }
  }
  return { count, lastAt };
}

/** What the queues hold, for a failure's message: job counts, failed jobs' reasons, the desk's error lines. */
async function whatIsLeft(stack: Stack, desk: Desk): Promise<string> {
  const out: string[] = [];
  for (const name of [QUEUES.triage, QUEUES.notify]) {
    const q = new Queue(name, { connection: stack.redis, prefix: stack.prefix });
    const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    const failed = await q.getFailed(0, 4);
    out.push(`${name}: ${JSON.stringify(counts)} ${failed.map((j) => j.failedReason).join(' | ')}`);
    await q.close();
  }
  out.push(...[...new Set(desk.lines.filter((l) => l.level >= 40).map((l) => `${l.msg}${l.err ? `: ${l.err.message}` : ''}`))].slice(0, 10));
  return out.join('\n');
}

/** Resolves once the desk logged that every part started. */
async function started(stack: Stack, desk: Desk, what: string): Promise<void> {
  await stack.until(() => desk.lines.some((l) => l.msg === 'abuse-desk started') || desk.child.exitCode !== null, 60_000, `${what} to start`);
  assert.equal(desk.child.exitCode, null, `the desk exited at start: ${desk.lines.filter((l) => l.level >= 50).map((l) => `${l.msg} ${l.err?.message ?? ''}`).join(' | ')}`);
}

/** The service behind `tap` down for `ms`: live connections dropped, new ones refused; when it went and when it came back. */
async function downFor(tap: Awaited<ReturnType<typeof startImapTap>>, ms: number): Promise<{ from: number; back: number }> {
  const from = Date.now();
  tap.block(true);
  tap.cut();
  await sleep(ms);
  tap.block(false);
  return { from, back: Date.now() };
}

/** A stack whose case store is reached through a TCP proxy the test can cut. */
async function stackWithStoreTap(cleanup: Array<() => Promise<unknown>>) {
  const target = new URL(PG_URL);
  const tap = await startImapTap({ host: target.hostname, port: Number(target.port || 5432) });
  cleanup.push(() => tap.close());
  const viaTap = new URL(PG_URL);
  viaTap.port = String(tap.port);
  const stack = await startStack({ ...base, cases: { database: viaTap.toString() } });
  cleanup.push(() => stack.stop());
  return { tap, stack };
}

const errorsBetween = (desk: Desk, from: number, to: number): Array<{ msg: string }> => desk.lines.filter((l) => l.level >= 50 && l.time >= from && l.time <= to);

const N = 1000;
// Every acknowledgement is counted: the reporters' domain is not capped here.
const base = { caps: { exemptDomains: ['reporter.test'] } };

/**
 * Outages of the services the desk needs, with `abuse-desk start` running as
 * its own process while 1,000 complaints arrive: the case store's connections
 * cut for 20 s through a TCP proxy, the relay down for 60 s, the relay
 * refusing our login for 20 s. Nothing dies, nothing is lost, the desk
 * catches up within seconds of the service's return, and each outage is
 * logged once, not once per job. Prints the figures the README quotes.
 */
describe('outages end when the service returns', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  });

  it(`the case store cut for 20 s under ${N} complaints: no process exits, each complaint acknowledged once, the last within 15 s of the store's return`, async () => {
    const { tap, stack } = await stackWithStoreTap(cleanup);
    const desk = startDesk(stack, {});
    cleanup.push(() => desk.stop());
    await started(stack, desk, 'the desk');
    const samples = Array.from({ length: N }, (_, i) => buildSample('plain-en', i, `store-cut-${stack.prefix}`));

    const appending = appendInBursts(stack, samples, 100, 1000);
    await sleep(3000);
    const { from: cutAt, back: backAt } = await downFor(tap, 20_000);
    await appending;
    await stack.until(() => acknowledgements(stack, samples).count.size === N, 120_000, `${N} acknowledgements`).catch(async (err: Error) => {
      throw new Error(`${err.message}; ${acknowledgements(stack, samples).count.size} came:\n${await whatIsLeft(stack, desk)}`);
    });
    await sleep(1000);

    const { count, lastAt } = acknowledgements(stack, samples);
    const errors = errorsBetween(desk, cutAt, Date.now());
    console.log(JSON.stringify({ outage: 'store 20 s', complaints: N, lastAckAfterReturnMs: lastAt - backAt, errorLines: errors.length, errors: [...new Set(errors.map((e) => e.msg))] }));
    assert.equal(desk.child.exitCode, null, 'the desk process is still running');
    assert.deepEqual([...count.values()].filter((n) => n !== 1), [], 'each complaint acknowledged exactly once');
    assert.ok(lastAt - backAt <= 15_000, `the last acknowledgement came ${lastAt - backAt} ms after the store returned`);
    const stopped = await desk.stop();
    assert.equal(stopped.code, 0);
  });

  it('started while the case store is unreachable: the desk waits for it (one error line), then answers every complaint once; SIGTERM while waiting exits 0', async () => {
    const { tap, stack } = await stackWithStoreTap(cleanup);
    tap.block(true);
    const samples = Array.from({ length: 50 }, (_, i) => buildSample('plain-en', i, `store-absent-${stack.prefix}`));
    await stack.append(samples.map((s) => s.raw));

    // Stopped while it waits: it exits cleanly and at once.
    const early = startDesk(stack, {});
    cleanup.push(() => early.stop());
    await stack.until(() => early.lines.some((l) => l.msg.startsWith('case store unreachable at start')) || early.child.exitCode !== null, 30_000, 'the first desk to wait');
    const earlyStop = await early.stop();
    assert.equal(earlyStop.code, 0, 'SIGTERM while waiting for the store exits 0');
    assert.ok(earlyStop.afterStopMs <= 5000, `SIGTERM while waiting took ${earlyStop.afterStopMs} ms`);

    const desk = startDesk(stack, {});
    cleanup.push(() => desk.stop());
    await sleep(8000);
    assert.equal(desk.child.exitCode, null, 'the desk is still running, waiting for the store');
    const waiting = desk.lines.filter((l) => l.level >= 50);
    assert.equal(acknowledgements(stack, samples).count.size, 0, 'nothing is answered before the store is back');
    tap.block(false);
    const backAt = Date.now();
    await started(stack, desk, 'the desk');
    await stack.until(() => acknowledgements(stack, samples).count.size === samples.length, 60_000, 'every acknowledgement');
    await sleep(1000);
    const { count, lastAt } = acknowledgements(stack, samples);
    console.log(JSON.stringify({ outage: 'store absent at start', complaints: samples.length, lastAckAfterReturnMs: lastAt - backAt, errorLinesWhileWaiting: waiting.length }));
    assert.ok(waiting.length >= 1 && waiting.length <= 3, `error lines while waiting: ${waiting.map((l) => l.msg).join(' | ')}`);
    assert.deepEqual([...count.values()].filter((n) => n !== 1), [], 'each complaint acknowledged exactly once');
    const stopped = await desk.stop();
    assert.equal(stopped.code, 0);
  });

  it(`the relay down for 60 s under ${N} complaints: the last mail within 15 s of its return, fewer than 20 error lines`, async () => {
    const stack = await startStack(base);
    cleanup.push(() => stack.stop());
    const tap = await startImapTap({ host: stack.sink.host, port: stack.sink.port });
    cleanup.push(() => tap.close());
    const desk = startDesk(stack, { smtp: { port: tap.port, maxConnections: 5 } });
    cleanup.push(() => desk.stop());
    const samples = Array.from({ length: N }, (_, i) => buildSample('plain-en', i, `relay-down-${stack.prefix}`));

    const appending = appendInBursts(stack, samples, 100, 1000);
    await sleep(2000);
    const { from: downAt, back: backAt } = await downFor(tap, 60_000);
    await appending;
    await stack.until(() => acknowledgements(stack, samples).count.size === N, 120_000, `${N} acknowledgements`);
    await sleep(1500);

    const { count } = acknowledgements(stack, samples);
    const lastMailAt = Math.max(...stack.sink.mails.map((m) => m.receivedAt));
    const errors = errorsBetween(desk, downAt, Date.now());
    console.log(JSON.stringify({ outage: 'relay 60 s', complaints: N, lastMailAfterReturnMs: lastMailAt - backAt, errorLines: errors.length, errors: [...new Set(errors.map((e) => e.msg))] }));
    assert.equal(desk.child.exitCode, null, 'the desk process is still running');
    assert.deepEqual([...count.values()].filter((n) => n !== 1), [], 'each complaint acknowledged exactly once');
    assert.ok(stack.sink.mails.some((m) => m.to.includes('admin@example.test')), "the customer's notice went out");
    assert.ok(lastMailAt - backAt <= 15_000, `the last mail came ${lastMailAt - backAt} ms after the relay returned`);
    assert.ok(errors.length < 20, `${errors.length} error lines: ${[...new Set(errors.map((e) => e.msg))].join(' | ')}`);
    const stopped = await desk.stop();
    assert.equal(stopped.code, 0);
  });

  it('the relay refusing our login (535) for 20 s with smtp.maxConnections 10: never more than 10 connections at the relay; SIGTERM then exits 0 within 5 s', async () => {
    let refusingUntil = 0;
    const stack = await startStack(base, { sink: { refuseAuth: () => (Date.now() < refusingUntil ? { code: 535, message: '5.7.8 Authentication credentials invalid' } : null) } });
    cleanup.push(() => stack.stop());
    const tap = await startImapTap({ host: stack.sink.host, port: stack.sink.port });
    cleanup.push(() => tap.close());
    const desk = startDesk(stack, { smtp: { port: tap.port, maxConnections: 10, user: 'desk', password: 'secret' } });
    cleanup.push(() => desk.stop());
    const samples = Array.from({ length: 300 }, (_, i) => buildSample('plain-en', i, `auth-${stack.prefix}`));

    refusingUntil = Date.now() + 20_000;
    await appendInBursts(stack, samples, 100, 1000);
    await sleep(Math.max(0, refusingUntil - Date.now()));
    await stack.until(() => acknowledgements(stack, samples).count.size === samples.length, 60_000, 'every acknowledgement');
    const most = tap.mostAtOnce();
    const stopped = await desk.stop();
    console.log(JSON.stringify({ outage: 'AUTH 535 for 20 s', maxConnections: 10, mostAtOnce: most, sigtermExitMs: stopped.afterStopMs, exitCode: stopped.code }));
    assert.ok(most <= 10, `${most} connections were open at the relay at once`);
    assert.equal(stopped.code, 0);
    assert.ok(stopped.afterStopMs <= 5000, `SIGTERM took ${stopped.afterStopMs} ms`);
    await sleep(500);
    assert.equal(tap.live(), 0, 'no connection left open at the relay');
  });
});
