import type { Finding, SlaFindings } from './sla.ts';

/** What was last said about one finding: its kind, when it was first and last alerted (ms). */
export interface Alerted {
  kind: 'breach' | 'warning';
  firstAt: number;
  lastAt: number;
  /** The finding as last alerted, for the "resolved" message. */
  finding: Finding;
}

/** The alerts one scan sends: each group is one mail and one webhook call. */
export interface AlertPlan {
  /** Breaches not alerted before (new ones) and those due again (realertSec since their last alert). */
  breach: { findings: Finding[]; fresh: Set<Finding> } | null;
  warning: { findings: Finding[]; fresh: Set<Finding> } | null;
  /** Breaches alerted before that are no longer breached. */
  resolved: Finding[];
  /** What is known after this scan, to keep for the next. */
  next: Map<string, Alerted>;
}

/** One finding's identity across scans: its clock and its case (or "complaints"). */
export const findingKey = (f: Finding): string => `${f.clock}|${f.subject}`;

/**
 * Which alerts a scan sends, given what was alerted before. Each finding is
 * followed on its own: a breach not alerted yet goes out now, whatever
 * else was alerted a moment ago; one already alerted goes out again once
 * `realertMs` have passed since its last alert; a breach that ended gets a
 * "resolved" line. New and due findings of one kind share one alert, so 500
 * cases breaching at once make one mail. A warning that became a breach is a
 * new breach. Pure.
 */
export function planAlerts(found: SlaFindings, before: ReadonlyMap<string, Alerted>, now: number, realertMs: number): AlertPlan {
  const next = new Map<string, Alerted>();
  const group = (kind: 'breach' | 'warning', findings: Finding[]): AlertPlan['breach'] => {
    const out: Finding[] = [];
    const fresh = new Set<Finding>();
    for (const f of findings) {
      const key = findingKey(f);
      const was = before.get(key);
      if (!was || was.kind !== kind) {
        out.push(f);
        fresh.add(f);
        next.set(key, { kind, firstAt: now, lastAt: now, finding: f });
      } else if (now - was.lastAt >= realertMs) {
        out.push(f);
        next.set(key, { ...was, lastAt: now, finding: f });
      } else next.set(key, { ...was, finding: f });
    }
    return out.length ? { findings: out, fresh } : null;
  };
  // Breaches first: a finding both warned and breached (it cannot be) would be kept as a breach.
  const breach = group('breach', found.breaches);
  const warnings = found.warnings.filter((w) => !next.has(findingKey(w)));
  const warning = group('warning', warnings);
  const resolved = [...before.entries()].filter(([key, a]) => a.kind === 'breach' && !next.has(key)).map(([, a]) => a.finding);
  return { breach, warning, resolved, next };
}
