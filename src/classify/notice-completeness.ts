import type { Category } from '../config/category-names.ts';
import type { Indicator } from './indicator.ts';

/** The elements a notice must give (EU DSA art. 16(2); French LCEN art. 6). */
export const NOTICE_PARTS = ['location', 'explanation', 'name', 'email', 'goodFaith'] as const;
export type NoticePart = (typeof NOTICE_PARTS)[number];

export interface NoticeCheck {
  complete: boolean;
  missing: NoticePart[];
  /** Why the check does not apply (machine report, network abuse), when it does not. */
  exempt?: string;
}

// Network abuse is not a notice about hosted content: the DSA elements do not apply.
const EXEMPT: ReadonlySet<Category> = new Set(['spam', 'attack']);

const MIN_EXPLANATION_WORDS = 12;

export interface NoticeInput {
  category: Category;
  automated: boolean;
  indicators: readonly Indicator[];
  /** The notifier's own words (before any forwarded message), and subject. */
  ownText: string;
  subject: string;
  from: { name: string; address: string } | null;
  /** Statements of good faith, from the rules file. */
  goodFaith: RegExp;
}

/**
 * Does a person's notice give the exact location, an explanation, the
 * notifier's name and e-mail (not required for csam, which may be reported
 * anonymously) and a statement of good faith? Pure.
 */
export function checkNotice(n: NoticeInput): NoticeCheck {
  if (n.automated) return { complete: true, missing: [], exempt: 'machine-generated report' };
  if (EXEMPT.has(n.category)) return { complete: true, missing: [], exempt: `${n.category} is network abuse, not a notice about content` };
  const missing: NoticePart[] = [];
  if (!n.indicators.some((i) => i.kind === 'url' || i.kind === 'account')) missing.push('location');
  const words = n.ownText.replace(/\b(?:https?|hxxps?):\/\/\S+/gi, ' ').match(/[\p{L}']{2,}/gu) ?? [];
  if (words.length < MIN_EXPLANATION_WORDS) missing.push('explanation');
  if (n.category !== 'csam') {
    if (!n.from?.name.trim() || n.from.name.includes('@')) missing.push('name');
    if (!n.from?.address) missing.push('email');
  }
  if (!n.goodFaith.test(`${n.subject}\n${n.ownText}`)) missing.push('goodFaith');
  return { complete: missing.length === 0, missing };
}
