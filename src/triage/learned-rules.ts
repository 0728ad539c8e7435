import type { Indicator } from '../classify/indicator.ts';
import { registrableDomain } from '../directory/names.ts';
import { nameKey } from '../classify/target-basis.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import { domainOf } from '../text/email-address.ts';

/**
 * What a person's correction taught the desk (src/cases/learned-rules.ts
 * keeps them): from this sender, the name at this place of its reports is
 * not what they are about (dismiss), or is (confirm). Applied to that
 * sender's later reports only, and only to the same name at the same place.
 */
export interface LearnedRule {
  id: string;
  /** The sender's registrable domain. */
  source: string;
  /** Where the name came from (target-basis.ts shapeOf). */
  shape: string;
  /** The name: a registrable domain, a host, an address or an account. */
  value: string;
  verdict: 'dismiss' | 'confirm';
  /** The case it was learned on. */
  originRef: string | null;
}

/** The sender a rule is kept against: the registrable domain of From (a desk's Reply-To is often a ticket system). Pure. */
export function reportSource(m: Pick<ParsedMessage, 'from'>): string | null {
  const domain = m.from ? domainOf(m.from.address) : '';
  return domain ? (registrableDomain(domain) ?? domain) : null;
}

/** The name of an indicator as rules hold it: one name however it is written. Pure. */
export const ruleValue = nameKey;

/** The learned rules of the report's own sender, applied to its reported names. Pure. */
export function applyLearned(indicators: readonly Indicator[], rules: readonly LearnedRule[], source: string | null): Indicator[] {
  if (!source || !rules.length) return [...indicators];
  const mine = new Map(rules.filter((r) => r.source === source).map((r) => [`${r.shape}\n${r.value}`, r]));
  return indicators.map((i) => {
    if (i.role !== 'reported' || !i.shape) return i;
    const rule = mine.get(`${i.shape}\n${ruleValue(i)}`);
    if (!rule) return i;
    const origin = rule.originRef ? ` on ${rule.originRef}` : '';
    if (rule.verdict === 'dismiss') return { ...i, role: 'context', roleWhy: `dismissed by an agent${origin}: not what ${source}'s reports name there (learned rule ${rule.id})` };
    return i.basis === 'named' ? { ...i, basis: 'accused', basisWhy: `confirmed by an agent${origin} for ${source}'s reports naming it there (learned rule ${rule.id})` } : i;
  });
}
