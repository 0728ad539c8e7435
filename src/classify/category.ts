import type { Category, Priority } from './category-names.ts';
import type { ReportFields } from './report-fields.ts';
import type { Rules } from './rules.ts';

export { CATEGORIES, PRIORITIES, type Category, type Priority } from './category-names.ts';

export interface CategoryDecision {
  category: Category;
  why: string[];
}

/** Category from structured report fields first, then English/French wording (both from the rules file). Pure. */
export function classifyCategory(fields: ReportFields, subject: string, text: string, rules: Rules): CategoryDecision {
  if (fields.format === 'arf' && fields.feedbackType) {
    const cat = rules.arfFeedbackType[fields.feedbackType] ?? 'spam';
    return { category: cat, why: [`ARF Feedback-Type: ${fields.feedbackType} → ${cat}`] };
  }
  if (fields.format === 'xarf') {
    // Report-Type "info" or "content" says nothing about the abuse: try Category, then the wording.
    for (const key of [fields.reportType, fields.category]) {
      const cat = key ? rules.xarf[key] : undefined;
      if (cat && cat !== 'other') return { category: cat, why: [`X-ARF ${key === fields.reportType ? 'Report-Type' : 'Category'}: ${key} → ${cat}`] };
    }
  }
  const body = text.slice(0, 20000);
  let best: { cat: Category; score: number; words: string[] } | null = null;
  for (const [cat, re] of rules.wording) {
    const words: string[] = [];
    let score = 0;
    for (const m of subject.matchAll(re)) (score += 2), words.push(m[0].toLowerCase());
    for (const m of body.matchAll(re)) (score += 1), words.push(m[0].toLowerCase());
    if (score > 0 && (!best || score > best.score || ((cat === 'csam' || cat === 'violence') && best.cat !== 'csam'))) {
      best = { cat, score, words };
      // csam and threats to life decide on any mention: a human must look.
      if (cat === 'csam') break;
    }
  }
  if (!best) return { category: 'other', why: ['no category wording found'] };
  const uniq = [...new Set(best.words)].slice(0, 5);
  return { category: best.cat, why: [`wording: ${uniq.map((w) => `"${w}"`).join(', ')} → ${best.cat}`] };
}

/** Priority: csam, threats to life and doxxing are urgent; phishing and malware high. Pure. */
export function decidePriority(category: Category, text: string, automated: boolean, rules: Rules): { priority: Priority; why: string } {
  if (category === 'csam') return { priority: 'urgent', why: 'csam is always urgent' };
  if (category === 'violence' || rules.threatToLife.test(text)) return { priority: 'urgent', why: 'threat to life or of violence' };
  if (rules.doxxing.test(text)) return { priority: 'urgent', why: 'doxxing (personal details published)' };
  if (category === 'phishing' || category === 'malware') return { priority: 'high', why: `${category} harms third parties now` };
  if (category === 'harassment' || category === 'hate' || category === 'privacy') return { priority: 'high', why: `${category} targets people` };
  if (automated && (category === 'spam' || category === 'attack')) return { priority: 'low', why: `automated ${category} report` };
  return { priority: 'normal', why: 'default' };
}
