import type { Config } from '../config/schema.ts';
import { openCaseDb } from '../cases/case-db.ts';
import { createRedis } from '../queue/connection.ts';
import { createQueues } from '../queue/queues.ts';
import { probeRelay } from '../notify/smtp-sender.ts';
import { deskState, readiness, type DeskState, type Readiness } from '../ops/desk-state.ts';
import { findingLine, type Clock, type Finding, type SlaFindings } from '../ops/sla.ts';
import { readSla } from '../ops/sla-scanner.ts';

/** Per clock: how many are breached and warned (complaints for the acknowledgement clock, cases for the others). Pure. */
export function slaSummary(f: SlaFindings): Array<{ clock: Clock; breached: number; warned: number; worst: Finding | null }> {
  return CLOCKS.map((clock) => {
    const b = f.breaches.filter((x) => x.clock === clock);
    const w = f.warnings.filter((x) => x.clock === clock);
    return { clock, breached: b.reduce((n, x) => n + (x.count ?? 1), 0), warned: w.reduce((n, x) => n + (x.count ?? 1), 0), worst: b[0] ?? w[0] ?? null };
  });
}

const CLOCKS: readonly Clock[] = ['acknowledge', 'notice', 'review', 'resolve'];

/** What needs attention, in words; empty when all is well. Pure. */
export function problems(s: DeskState, r: Readiness, staleJobSec: number, now = Date.now(), sla: SlaFindings = { breaches: [], warnings: [] }): string[] {
  const out: string[] = [];
  for (const c of slaSummary(sla)) {
    const what = c.clock === 'acknowledge' ? 'complaint(s) not acknowledged' : 'case(s)';
    if (c.breached) out.push(`SLA ${c.clock}: ${c.breached} ${what} past the deadline (worst: ${findingLine(c.worst!, 'breach')})`);
    else if (c.warned) out.push(`SLA ${c.clock}: ${c.warned} ${what} near the deadline (${findingLine(c.worst!, 'warning')})`);
  }
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
 * `abuse-desk status [--json]`: queues, cases, the SLA clocks (breaches and
 * warnings per clock), readiness, and what needs attention; exits 1 when
 * something does (an SLA breach or warning among them), so cron or a
 * monitoring agent can run it.
 */
export async function statusCommand(config: Readonly<Config>, json: boolean): Promise<number> {
  const redis = createRedis({ url: config.redis.url, role: 'client', name: 'status' });
  const queues = createQueues(config, redis);
  let pool;
  try {
    pool = await openCaseDb(config.cases);
    const [s, r, found] = await Promise.all([
      deskState(queues, pool, redis, config.redis.prefix, Date.now(), config.ops.pollerStaleSec),
      readiness(redis, pool, { smtp: () => probeRelay(config.smtp, 2000) }),
      config.sla.enabled ? readSla({ config, redis, pool }) : Promise.resolve({ breaches: [], warnings: [] }),
    ]);
    const issues = problems(s, r, config.ops.staleJobSec, Date.now(), found);
    const sla = slaSummary(found);
    if (json) {
      process.stdout.write(`${JSON.stringify({ ...s, readiness: r, sla: sla.map(({ worst, ...c }) => ({ ...c, worst: worst ? findingLine(worst, c.breached ? 'breach' : 'warning') : null })), problems: issues })}\n`);
    } else {
      for (const q of s.queues) {
        const c = q.counts;
        process.stdout.write(`${q.name.padEnd(12)} waiting ${c.waiting + c.prioritized}  active ${c.active}  delayed ${c.delayed}  failed ${c.failed}  oldest waiting ${Math.round(q.oldestWaitingSec)} s\n`);
      }
      const open = s.cases.reduce((n, c) => n + c.n, 0);
      const review = s.cases.filter((c) => c.status === 'awaiting_review').reduce((n, c) => n + c.n, 0);
      const urgent = s.cases.filter((c) => c.priority === 'urgent').reduce((n, c) => n + c.n, 0);
      process.stdout.write(`cases        open ${open}  awaiting review ${review}  urgent ${urgent}\n`);
      process.stdout.write(`sla          ${sla.map((c) => `${c.clock} ${c.breached ? `${c.breached} BREACHED` : c.warned ? `${c.warned} due soon` : 'ok'}`).join('  ')}\n`);
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
