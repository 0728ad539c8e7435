import type { Category } from '../config/category-names.ts';
import type { Config } from '../config/schema.ts';

export type Rung = Config['ladder']['rungs'][number];

export interface RungChoice {
  index: number;
  rung: Rung;
  why: string;
}

/**
 * The rung of a case's first notice: one step per earlier incident of the
 * customer within the window (one the customer was told of and had the time
 * to answer: prior-incidents.ts), plus the category's severity, plus the
 * case's flags (good faith and a compromised account step down), kept on the
 * ladder. Pure.
 */
export function chooseRung(prior: { count: number; refs: readonly string[] }, category: Category, flags: readonly string[], ladder: Config['ladder']): RungChoice {
  const { count, refs } = prior;
  const severity = ladder.severity[category] ?? 0;
  const byFlags = flags.reduce((n, f) => n + (ladder.flags[f as keyof Config['ladder']['flags']] ?? 0), 0);
  const raw = count + severity + byFlags;
  const index = Math.max(0, Math.min(ladder.rungs.length - 1, raw));
  // The earlier cases are named (at most five), so a person can check what the customer was told.
  const named = refs.length ? ` (${refs.slice(0, 5).join(', ')}${refs.length > 5 ? `, ${refs.length - 5} more` : ''})` : '';
  const parts = [`${count} earlier incident(s) in ${ladder.windowDays} days${named}`];
  if (severity) parts.push(`${severity > 0 ? '+' : ''}${severity} for ${category}`);
  if (byFlags) parts.push(`${byFlags > 0 ? '+' : ''}${byFlags} for ${flags.join(', ')}`);
  return { index, rung: ladder.rungs[index]!, why: parts.join(', ') };
}

/** When the customer's time to answer a notice on this rung, sent at `sentAt`, runs out. */
export const rungDeadline = (rung: Rung, sentAt: Date): Date => new Date(sentAt.getTime() + rung.deadlineDays * 86_400_000);

/**
 * A customer's earlier incidents (priorIncidents) that count for a case in
 * `campaignId` (its own campaign does not), with the references of their
 * cases, oldest first.
 */
/** An earlier case of the customer that the ladder may count (prior-incidents.ts reads them). */
export interface EarlierCase {
  ref: string;
  campaignId: string | null;
  openedAt: Date;
  /** When the customer's time to answer its first notice ran out. */
  answerBy: Date;
}

/** One incident: cases the customer was told of together, or of one campaign. */
export interface Incident {
  refs: string[];
  campaigns: Set<string>;
}

/** Per customer, the earlier incidents that count (oldest first). */
export type PriorIncidents = ReadonlyMap<string, readonly Incident[]>;

/**
 * A customer's earlier cases as incidents: recidivism is repeating after
 * being told, so a case opened while an earlier incident's time to answer was
 * still running belongs to that incident (complaints arriving together, or
 * before the customer could act, climb one rung at most); cases of one
 * campaign are one incident. Pure.
 */
export function incidentsOf(cases: readonly EarlierCase[]): Incident[] {
  const out: Array<Incident & { answerBy: number }> = [];
  for (const c of [...cases].sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || (a.ref < b.ref ? -1 : 1))) {
    const current = out.at(-1);
    const same = (c.campaignId && out.find((i) => i.campaigns.has(c.campaignId!))) || (current && c.openedAt.getTime() < current.answerBy ? current : undefined);
    if (same) {
      same.refs.push(c.ref);
      if (c.campaignId) same.campaigns.add(c.campaignId);
    } else {
      out.push({ refs: [c.ref], campaigns: new Set(c.campaignId ? [c.campaignId] : []), answerBy: c.answerBy.getTime() });
    }
  }
  return out.map(({ refs, campaigns }) => ({ refs, campaigns }));
}

/**
 * A customer's earlier incidents (priorIncidents) that count for a case in
 * `campaignId` (its own campaign's does not), with the references of their
 * cases.
 */
export function incidentsBefore(prior: PriorIncidents, customerId: string, campaignId: string | null): { count: number; refs: string[] } {
  const counted = (prior.get(customerId) ?? []).filter((i) => !(campaignId && i.campaigns.has(campaignId)));
  return { count: counted.length, refs: counted.flatMap((i) => i.refs) };
}
