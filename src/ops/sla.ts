import type { Category, Priority } from '../classify/category-names.ts';
import type { Config } from '../config/schema.ts';
import { BusinessCalendar } from './business-hours.ts';
import type { DeskState } from './desk-state.ts';

export type Clock = 'acknowledge' | 'notice' | 'review' | 'resolve';

/** An open case as the SLA check reads it. */
export interface OpenCase {
  ref: string;
  status: string;
  priority: Priority;
  category: Category;
  policy: string;
  customerId: string | null;
  noticesSent: number;
  openedAt: Date;
  /** Seconds the case has waited for the customer, before now (the resolution clock stood still). */
  pausedSec: number;
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

/** A clock running on an open case: how long it allows, when it runs out, and when it warns. */
export interface CaseClock {
  clock: Exclude<Clock, 'acknowledge'>;
  limitSec: number;
  dueAt: Date;
  warnAt: Date;
}

/** The business-hours calendar of an SLA policy, or null when its clocks run around the clock. One per scan. */
export function slaCalendar(sla: Config['sla']): BusinessCalendar | null {
  return sla.businessHours.enabled ? new BusinessCalendar(sla.businessHours) : null;
}

/**
 * The clocks running on an open case, nearest deadline first: its first
 * notice (notify policy, with a customer, none sent yet), its review (while
 * awaiting review), its resolution (paused while waiting for the customer).
 * Each runs from the case's opening (the resolution clock later by the time
 * the case waited for the customer); with business hours (for the
 * priorities they cover) only staffed time counts. Pure.
 */
export function caseClocks(c: OpenCase, sla: Config['sla'], calendar: BusinessCalendar | null = slaCalendar(sla)): CaseClock[] {
  const clocks: CaseClock[] = [];
  const business = calendar && sla.businessHours.priorities.includes(c.priority) ? calendar : null;
  const run = (clock: CaseClock['clock']): void => {
    const key = `${clock}Sec` as const;
    // The category's own limit for this clock and priority, else the priority's.
    const limitSec = sla.categories[c.category]?.[key]?.[c.priority] ?? sla[key][c.priority];
    // Time spent waiting for the customer does not count against the resolution.
    const from = clock === 'resolve' && c.pausedSec > 0 ? new Date(c.openedAt.getTime() + c.pausedSec * 1000) : c.openedAt;
    const after = (sec: number): Date => (business ? business.addSeconds(from, sec) : new Date(from.getTime() + sec * 1000));
    clocks.push({ clock, limitSec, dueAt: after(limitSec), warnAt: after(limitSec * sla.warnAt) });
  };
  if (c.policy === 'notify' && c.customerId && c.noticesSent === 0 && c.status === 'open') run('notice');
  if (c.status === 'awaiting_review') run('review');
  if (c.status !== 'waiting_customer') run('resolve');
  return clocks.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * Which clocks have run out, or are past `warnAt` of their time, now. The
 * acknowledgement clock is the oldest job waiting in the triage or notify
 * queue (around the clock: the machine answers); the others are each open
 * case's (caseClocks). Seconds are wall-clock: overdue by, or due in. Worst
 * first. Pure.
 */
export function slaFindings(queues: DeskState['queues'], cases: readonly OpenCase[], sla: Config['sla'], now: Date): SlaFindings {
  const breaches: Finding[] = [];
  const warnings: Finding[] = [];
  for (const q of queues) {
    if (q.name === 'dead-letter' || q.oldestWaitingSec <= 0) continue;
    const subject = `${q.name} queue`;
    if (q.oldestWaitingSec >= sla.acknowledgeSec) breaches.push({ clock: 'acknowledge', subject, seconds: Math.round(q.oldestWaitingSec - sla.acknowledgeSec) });
    else if (q.oldestWaitingSec >= sla.acknowledgeSec * sla.warnAt) warnings.push({ clock: 'acknowledge', subject, seconds: Math.round(sla.acknowledgeSec - q.oldestWaitingSec) });
  }
  const calendar = slaCalendar(sla);
  const t = now.getTime();
  for (const c of cases) {
    for (const k of caseClocks(c, sla, calendar)) {
      if (t >= k.dueAt.getTime()) breaches.push({ clock: k.clock, subject: c.ref, priority: c.priority, seconds: Math.round((t - k.dueAt.getTime()) / 1000) });
      else if (t >= k.warnAt.getTime()) warnings.push({ clock: k.clock, subject: c.ref, priority: c.priority, seconds: Math.round((k.dueAt.getTime() - t) / 1000) });
    }
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
