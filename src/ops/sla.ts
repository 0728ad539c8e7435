import type { Priority } from '../classify/category-names.ts';
import type { Config } from '../config/schema.ts';
import type { DeskState } from './desk-state.ts';

export type Clock = 'acknowledge' | 'notice' | 'review' | 'resolve';

/** An open case as the SLA check reads it. */
export interface OpenCase {
  ref: string;
  status: string;
  priority: Priority;
  policy: string;
  customerId: string | null;
  noticesSent: number;
  openedAt: Date;
}

export interface Finding {
  clock: Clock;
  /** The case, or the queue for the acknowledgement clock. */
  subject: string;
  priority?: Priority;
  /** Seconds past the deadline (breach) or until it (warning). */
  seconds: number;
}

export interface SlaFindings {
  breaches: Finding[];
  warnings: Finding[];
}

/** A clock running on an open case: when it started, how long it allows, when it runs out. */
export interface CaseClock {
  clock: Exclude<Clock, 'acknowledge'>;
  limitSec: number;
  dueAt: Date;
}

/**
 * The clocks running on an open case, nearest deadline first: its first
 * notice (notify policy, with a customer, none sent yet), its review (while
 * awaiting review), its resolution (paused while waiting for the customer).
 * Each runs from the case's opening. Pure.
 */
export function caseClocks(c: OpenCase, sla: Config['sla']): CaseClock[] {
  const clocks: CaseClock[] = [];
  const run = (clock: CaseClock['clock'], limitSec: number): void => {
    clocks.push({ clock, limitSec, dueAt: new Date(c.openedAt.getTime() + limitSec * 1000) });
  };
  if (c.policy === 'notify' && c.customerId && c.noticesSent === 0 && c.status === 'open') run('notice', sla.noticeSec[c.priority]);
  if (c.status === 'awaiting_review') run('review', sla.reviewSec[c.priority]);
  if (c.status !== 'waiting_customer') run('resolve', sla.resolveSec[c.priority]);
  return clocks.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * Which clocks have run out, or are past `warnAt` of their time, now. The
 * acknowledgement clock is the oldest job waiting in the triage or notify
 * queue; the others are each open case's (caseClocks). Worst first. Pure.
 */
export function slaFindings(queues: DeskState['queues'], cases: readonly OpenCase[], sla: Config['sla'], now: Date): SlaFindings {
  const breaches: Finding[] = [];
  const warnings: Finding[] = [];
  const check = (clock: Clock, subject: string, elapsedSec: number, limitSec: number, priority?: Priority): void => {
    if (elapsedSec >= limitSec) breaches.push({ clock, subject, priority, seconds: Math.round(elapsedSec - limitSec) });
    else if (elapsedSec >= limitSec * sla.warnAt) warnings.push({ clock, subject, priority, seconds: Math.round(limitSec - elapsedSec) });
  };
  for (const q of queues) if (q.name !== 'dead-letter' && q.oldestWaitingSec > 0) check('acknowledge', `${q.name} queue`, q.oldestWaitingSec, sla.acknowledgeSec);
  for (const c of cases) {
    const age = (now.getTime() - c.openedAt.getTime()) / 1000;
    for (const k of caseClocks(c, sla)) check(k.clock, c.ref, age, k.limitSec, c.priority);
  }
  breaches.sort((a, b) => b.seconds - a.seconds);
  warnings.sort((a, b) => a.seconds - b.seconds);
  return { breaches, warnings };
}

/** One grouped alert: counts per clock and the ten worst. Pure. */
export function alertText(kind: 'breach' | 'warning', findings: readonly Finding[], deskName: string): string {
  const counts = new Map<Clock, number>();
  for (const f of findings) counts.set(f.clock, (counts.get(f.clock) ?? 0) + 1);
  const head = `${deskName}: ${findings.length} SLA ${kind === 'breach' ? 'breach(es)' : 'warning(s)'} (${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')})`;
  const worst = findings.slice(0, 10).map((f) => `- ${f.subject}${f.priority ? ` (${f.priority})` : ''}: ${f.clock} ${kind === 'breach' ? `overdue by ${f.seconds} s` : `due in ${f.seconds} s`}`);
  return [head, ...worst, ...(findings.length > 10 ? [`… and ${findings.length - 10} more: abuse-desk cases list`] : [])].join('\n');
}
