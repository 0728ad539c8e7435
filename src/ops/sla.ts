import type { DeadlineInput } from '../cases/stored-deadline.ts';
import type { Priority } from '../config/category-names.ts';
import type { Config } from '../config/schema.ts';
import { BusinessCalendar } from './business-hours.ts';
import type { AckState } from './pending-acks.ts';

export type Clock = 'acknowledge' | 'notice' | 'review' | 'resolve';

/** An open case as its clocks read it (the store's DeadlineInput: one shape for both). */
export type OpenCase = DeadlineInput;

export interface Finding {
  clock: Clock;
  /** The case, or "complaints" for the acknowledgement clock. */
  subject: string;
  priority?: Priority;
  /** Seconds past the deadline (breach) or until it (warning): of the oldest, for the acknowledgement clock. */
  seconds: number;
  /** How many it stands for: the complaints not acknowledged (acknowledgement clock); 1 otherwise. */
  count?: number;
}

/** The subject of the acknowledgement clock's one finding: every complaint not yet acknowledged. */
export const ACK_SUBJECT = 'complaints';

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
 * notice (notify policy, with a customer, until the relay accepted it), its
 * review (awaiting review, until a person decided: released, withheld or
 * resolved), its resolution (paused while waiting for the customer).
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
  if (c.policy === 'notify' && c.customerId && !c.firstNoticeAt && c.status === 'open') run('notice');
  if (c.status === 'awaiting_review' && !c.reviewedAt) run('review');
  if (c.status !== 'waiting_customer') run('resolve');
  return clocks.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * Which clocks have run out, or are past `warnAt` of their time, now. The
 * acknowledgement clock is one finding for every complaint not yet
 * acknowledged (src/ops/pending-acks.ts: from its arrival in the mailbox to
 * the relay's acceptance; around the clock: the machine answers), counting
 * them; the others are each open case's (caseClocks). Seconds are
 * wall-clock: overdue by, or due in. Worst first. Pure.
 */
export function slaFindings(acks: AckState | null, cases: readonly OpenCase[], sla: Config['sla'], now: Date): SlaFindings {
  const breaches: Finding[] = [];
  const warnings: Finding[] = [];
  const t = now.getTime();
  if (acks?.oldestAt !== null && acks?.oldestAt !== undefined) {
    const age = (t - acks.oldestAt) / 1000;
    if (acks.breached > 0) breaches.push({ clock: 'acknowledge', subject: ACK_SUBJECT, seconds: Math.round(age - sla.acknowledgeSec), count: acks.breached });
    else if (acks.warned > 0) warnings.push({ clock: 'acknowledge', subject: ACK_SUBJECT, seconds: Math.round(sla.acknowledgeSec - age), count: acks.warned });
  }
  const calendar = slaCalendar(sla);
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

/** A finding in words: "AD-2026-000019 (urgent): review overdue by 40 s", "20 complaints not acknowledged: the oldest overdue by 40 s". */
export function findingLine(f: Finding, kind: 'breach' | 'warning' | 'resolved'): string {
  if (f.clock === 'acknowledge') {
    const n = f.count ?? 1;
    if (kind === 'resolved') return `complaints: every acknowledgement is within its deadline again`;
    return `${n} complaint${n === 1 ? '' : 's'} not acknowledged: the oldest ${kind === 'breach' ? `overdue by ${f.seconds} s` : `due in ${f.seconds} s`}`;
  }
  const who = `${f.subject}${f.priority ? ` (${f.priority})` : ''}`;
  if (kind === 'resolved') return `${who}: ${f.clock} no longer overdue`;
  return `${who}: ${f.clock} ${kind === 'breach' ? `overdue by ${f.seconds} s` : `due in ${f.seconds} s`}`;
}

/**
 * One grouped alert: counts per clock and the ten worst (new ones first when
 * `fresh` says which are new). Pure.
 */
export function alertText(kind: 'breach' | 'warning' | 'resolved', findings: readonly Finding[], deskName: string, fresh: ReadonlySet<Finding> = new Set()): string {
  const counts = new Map<Clock, number>();
  for (const f of findings) counts.set(f.clock, (counts.get(f.clock) ?? 0) + (f.clock === 'acknowledge' && kind !== 'resolved' ? (f.count ?? 1) : 1));
  const noun = kind === 'breach' ? 'SLA breach(es)' : kind === 'warning' ? 'SLA warning(s)' : 'SLA breach(es) resolved';
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const newOnes = findings.filter((f) => fresh.has(f)).length;
  const head = `${deskName}: ${total} ${noun} (${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')})${newOnes && newOnes < findings.length ? `, ${newOnes} new` : ''}`;
  const ordered = [...findings.filter((f) => fresh.has(f)), ...findings.filter((f) => !fresh.has(f))];
  const worst = ordered.slice(0, 10).map((f) => `- ${findingLine(f, kind)}${fresh.has(f) && newOnes < findings.length ? ' (new)' : ''}`);
  return [head, ...worst, ...(ordered.length > 10 ? [`… and ${ordered.length - 10} more: abuse-desk cases list`] : [])].join('\n');
}
