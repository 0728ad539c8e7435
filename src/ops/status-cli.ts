import type { Config } from '../config/schema.ts';
import { openCaseDb } from '../cases/case-db.ts';
import { createRedis } from '../queue/connection.ts';
import { createQueues } from '../queue/queues.ts';
import { probeRelay } from '../notify/smtp-sender.ts';
import { deskState, readiness, type DeskState, type Readiness } from './desk-state.ts';

/** What needs attention, in words; empty when all is well. Pure. */
export function problems(s: DeskState, r: Readiness, staleJobSec: number, now = Date.now()): string[] {
  const out: string[] = [];
  for (const [name, c] of Object.entries(r.checks)) if (!c.ok) out.push(`${name} is not answering: ${c.error ?? 'unknown error'}`);
  for (const q of s.queues) {
    if (q.name !== 'dead-letter' && q.oldestWaitingSec > staleJobSec) out.push(`${q.name}: a job has waited ${Math.round(q.oldestWaitingSec)} s (ops.staleJobSec ${staleJobSec}): are the workers running?`);
    if (q.counts.failed > 0) out.push(`${q.name}: ${q.counts.failed} failed job(s): \`abuse-desk jobs retry-failed\``);
  }
  if (s.pollerLastCheck === null) out.push('no poller has checked the mailbox yet: is `abuse-desk poller` (or start) running?');
  else if (!s.pollerConnected) out.push(`the poller last checked the mailbox ${Math.round((now - s.pollerLastCheck) / 1000)} s ago: IMAP down, or the poller stopped?`);
  if (s.deadLetters > 0) out.push(`${s.deadLetters} case(s) of mail in the dead-letter queue: \`abuse-desk mail retry-dead\` once the relay works`);
  return out;
}

/**
 * `abuse-desk status [--json]`: queues, cases, readiness, and what needs
 * attention; exits 1 when something does, so cron or a monitoring agent can
 * run it.
 */
export async function statusCommand(config: Readonly<Config>, json: boolean): Promise<number> {
  const redis = createRedis({ url: config.redis.url, role: 'client', name: 'status' });
  const queues = createQueues(config, redis);
  let pool;
  try {
    pool = await openCaseDb(config.cases);
    const [s, r] = await Promise.all([
      deskState(queues, pool, redis, config.redis.prefix, Date.now(), config.ops.pollerStaleSec),
      readiness(redis, pool, { smtp: () => probeRelay(config.smtp, 2000) }),
    ]);
    const issues = problems(s, r, config.ops.staleJobSec);
    if (json) {
      process.stdout.write(`${JSON.stringify({ ...s, readiness: r, problems: issues })}\n`);
    } else {
      for (const q of s.queues) {
        const c = q.counts;
        process.stdout.write(`${q.name.padEnd(12)} waiting ${c.waiting + c.prioritized}  active ${c.active}  delayed ${c.delayed}  failed ${c.failed}  oldest waiting ${Math.round(q.oldestWaitingSec)} s\n`);
      }
      const open = s.cases.reduce((n, c) => n + c.n, 0);
      const review = s.cases.filter((c) => c.status === 'awaiting_review').reduce((n, c) => n + c.n, 0);
      const urgent = s.cases.filter((c) => c.priority === 'urgent').reduce((n, c) => n + c.n, 0);
      process.stdout.write(`cases        open ${open}  awaiting review ${review}  urgent ${urgent}\n`);
      process.stdout.write(`ready        ${Object.entries(r.checks).map(([k, v]) => `${k} ${v.ok ? 'ok' : 'DOWN'}`).join('  ')}\n`);
      process.stdout.write(issues.length ? `NEEDS ATTENTION:\n${issues.map((i) => `  - ${i}`).join('\n')}\n` : 'all well\n');
    }
    return issues.length ? 1 : 0;
  } finally {
    await queues.close();
    redis.disconnect();
    await pool?.end();
  }
}
