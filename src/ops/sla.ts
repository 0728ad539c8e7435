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

/**
 * Which clocks have run out, or are past `warnAt` of their time, now. The
 * acknowledgement clock is the oldest job waiting in the triage or notify
 * queue; the others run from a case's opening: its first notice (notify
 * policy, with a customer), its review (awaiting review), its resolution.
 * Worst first. Pure.
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
    if (c.policy === 'notify' && c.customerId && c.noticesSent === 0 && c.status === 'open') check('notice', c.ref, age, sla.noticeSec[c.priority], c.priority);
    if (c.status === 'awaiting_review') check('review', c.ref, age, sla.reviewSec[c.priority], c.priority);
    // Waiting for the customer pauses the resolution clock.
    if (c.status !== 'waiting_customer') check('resolve', c.ref, age, sla.resolveSec[c.priority], c.priority);
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
