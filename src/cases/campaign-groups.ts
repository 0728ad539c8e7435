import type { ReportInput } from './plan-report.ts';

/** Reports of a batch that share a campaign signal, with their cases and the campaigns they already touch. */
export interface CampaignGroup {
  signals: Set<string>;
  caseIds: Set<string>;
  /** Campaigns (root ids) its signals or cases already belong to: none means a new one. */
  existing: Set<string>;
}

/**
 * Groups a batch's spam reports by shared signal (union-find: reports
 * sharing any signal are one group), each with the campaigns its signals
 * and cases already belong to. Pure.
 */
export function groupBySignal(
  spam: readonly ReportInput[],
  rootOfSignal: ReadonlyMap<string, string>,
  caseOf: (key: string) => { id: string; campaign_id: string | null },
): CampaignGroup[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const r of spam) for (const s of r.signals) parent.set(s, s);
  for (const r of spam) for (const s of r.signals.slice(1)) parent.set(find(s), find(r.signals[0]!));
  const groups = new Map<string, CampaignGroup>();
  for (const r of spam) {
    const root = find(r.signals[0]!);
    const g = groups.get(root) ?? { signals: new Set(), caseIds: new Set(), existing: new Set() };
    groups.set(root, g);
    for (const s of r.signals) {
      g.signals.add(s);
      const known = rootOfSignal.get(s);
      if (known) g.existing.add(known);
    }
    for (const l of r.links) {
      const row = caseOf(l.key);
      g.caseIds.add(row.id);
      if (row.campaign_id) g.existing.add(row.campaign_id);
    }
  }
  return [...groups.values()];
}

/** The campaign a group keeps (the oldest it touches) and those merged into it. */
export function keptCampaign(g: CampaignGroup): { root: string; merged: string[] } {
  const ids = [...g.existing].sort((a, b) => Number(a) - Number(b));
  return { root: ids[0]!, merged: ids.slice(1) };
}
