import type { Category } from '../config/category-names.ts';

/**
 * Conduct against a person, most severe first: a threat to life, then
 * exposing where someone lives (doxxing), hate, harassment. A victim
 * describes the same account's behaviour in many words; what they report is
 * one thing.
 */
export const CONDUCT: readonly Category[] = ['violence', 'privacy', 'hate', 'harassment'];

/** The family that makes the case key: conduct against a person on an account is one, whatever its wording; any other category its own. Pure. */
export function caseFamily(category: Category, targetType: string): string {
  return targetType === 'account' && CONDUCT.includes(category) ? 'conduct' : category;
}

/** Of two categories of one family, the one the case takes: the more severe conduct (for other families they are equal). Pure. */
export function severer(a: Category, b: Category): Category {
  const ia = CONDUCT.indexOf(a);
  const ib = CONDUCT.indexOf(b);
  return ia >= 0 && ib >= 0 && ib < ia ? b : a;
}
