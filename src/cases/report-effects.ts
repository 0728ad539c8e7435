import type { ReportOutcome } from './plan-assignment.ts';

/**
 * The mails a report set off, as kept on its row (reports.effects) so a
 * replayed report sets off the same ones: short keys, one row per report.
 */
export interface Effects {
  n?: Array<[string, number, number, number?, number?]>;
  e?: { seq: number; c: string[]; r: string[] };
}

/** The effects of an outcome; null when it set off nothing. */
export function encodeEffects(o: ReportOutcome): Effects | null {
  if (!o.notices.length && !o.escalation) return null;
  return {
    ...(o.notices.length ? { n: o.notices.map((n): [string, number, number, number?, number?] => [n.caseId, n.seq, n.newReports, n.total, n.rung]) } : {}),
    ...(o.escalation ? { e: { seq: o.escalation.seq, c: o.escalation.caseIds, r: o.escalation.reasons } } : {}),
  };
}

/** The notices and escalation a stored report set off. */
export function decodeEffects(ef: Effects | null): Pick<ReportOutcome, 'notices' | 'escalation'> {
  const e = ef ?? {};
  return {
    notices: (e.n ?? []).map(([caseId, seq, newReports, total, rung]) => ({ caseId, seq, newReports, ...(total ? { total } : {}), ...(rung !== undefined && rung !== null ? { rung } : {}) })),
    escalation: e.e ? { seq: e.e.seq, caseIds: e.e.c, reasons: e.e.r } : null,
  };
}
