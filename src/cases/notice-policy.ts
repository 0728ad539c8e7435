import type { Category } from '../config/category-names.ts';

/**
 * notify: the customer hears at once; review: a person releases the notice;
 * never: escalation only; confirm: the target is only named in the report,
 * a person confirms it is what the report is about (then the category's
 * policy applies) or dismisses it.
 */
export type NoticePolicy = 'notify' | 'review' | 'never' | 'confirm';
export type CaseTargetType = 'domain' | 'server' | 'account' | 'none';

export interface PolicyRule {
  category: Category | '*';
  targetType: CaseTargetType | '*';
  policy: NoticePolicy;
}

// Harm to a person on our own platform: the accused must not hear of it
// before a person has looked (and never in the reporter's words).
const PERSONAL_HARM: readonly Category[] = ['harassment', 'violence', 'privacy', 'hate'];

/**
 * The built-in table, after any rules from config (cases.noticePolicy).
 * csam: never (escalation only). Threats to life: review anywhere. Harm to
 * a person through an account on our platform: review. Everything else,
 * including spam, phishing, malware, attacks, copyright, trademark,
 * defamation and fraud on hosted content: notify (notices never name the
 * reporter).
 */
export const BUILT_IN_POLICY: readonly PolicyRule[] = [
  { category: 'csam', targetType: '*', policy: 'never' },
  { category: 'violence', targetType: '*', policy: 'review' },
  ...PERSONAL_HARM.map((category): PolicyRule => ({ category, targetType: 'account', policy: 'review' })),
  { category: '*', targetType: '*', policy: 'notify' },
];

/** First rule matching (category, target type): config rules, then the built-in table. Pure. */
export function noticePolicy(category: Category, targetType: CaseTargetType, configured: readonly PolicyRule[] = []): NoticePolicy {
  for (const r of [...configured, ...BUILT_IN_POLICY]) {
    if ((r.category === '*' || r.category === category) && (r.targetType === '*' || r.targetType === targetType)) return r.policy;
  }
  return 'notify';
}
