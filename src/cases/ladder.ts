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
 * customer within the window, plus the category's severity, plus the case's
 * flags (good faith and a compromised account step down), kept on the ladder.
 * Pure.
 */
export function chooseRung(priorIncidents: number, category: Category, flags: readonly string[], ladder: Config['ladder']): RungChoice {
  const severity = ladder.severity[category] ?? 0;
  const byFlags = flags.reduce((n, f) => n + (ladder.flags[f as keyof Config['ladder']['flags']] ?? 0), 0);
  const raw = priorIncidents + severity + byFlags;
  const index = Math.max(0, Math.min(ladder.rungs.length - 1, raw));
  const parts = [`${priorIncidents} earlier incident(s) in ${ladder.windowDays} days`];
  if (severity) parts.push(`${severity > 0 ? '+' : ''}${severity} for ${category}`);
  if (byFlags) parts.push(`${byFlags > 0 ? '+' : ''}${byFlags} for ${flags.join(', ')}`);
  return { index, rung: ladder.rungs[index]!, why: parts.join(', ') };
}

/** When the customer's time to answer a notice on this rung, sent at `sentAt`, runs out. */
export const rungDeadline = (rung: Rung, sentAt: Date): Date => new Date(sentAt.getTime() + rung.deadlineDays * 86_400_000);

/** How many of a customer's earlier incidents (priorIncidents) count for a case in `campaignId` (its own campaign does not). */
export function incidentsBefore(prior: ReadonlyMap<string, ReadonlySet<string>>, customerId: string, campaignId: string | null): number {
  const set = prior.get(customerId);
  if (!set) return 0;
  return set.size - (campaignId && set.has(`campaign:${campaignId}`) ? 1 : 0);
}
