import type { Category, Priority } from '../config/category-names.ts';
import type { ReportFields } from './report-fields.ts';
import type { Rules } from './rules.ts';

export { CATEGORIES, PRIORITIES, type Category, type Priority } from '../config/category-names.ts';

export interface CategoryDecision {
  category: Category;
  why: string[];
}

export interface ForwardContext {
  /** The reporter's own words, before any forwarded or quoted message. */
  own: string;
  /** The complaint forwards or attaches a message (or pastes its headers). */
  hasForwarded: boolean;
}

/**
 * Category from structured report fields first (ARF, X-ARF, XARF v4, feed
 * names), then phrases and the English/French wording (all from the rules
 * file). With `forward`, the wording is read from the reporter's own words;
 * a bare forward is a spam report. Pure.
 */
export function classifyCategory(fields: ReportFields, subject: string, text: string, rules: Rules, forward?: ForwardContext): CategoryDecision {
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
  if (fields.xarfKind) {
    const table = fields.format === 'xarf4' ? rules.xarf4 : rules.xarf;
    const key = [fields.xarfKind, fields.xarfKind.split('/')[0]!].find((k) => table[k]);
    const cat = key ? table[key]! : undefined;
    if (cat && cat !== 'other') return { category: cat, why: [`XARF ${fields.format === 'xarf4' ? 'v4 category/type' : 'JSON ReportType'}: ${key} → ${cat}`] };
  }
  if (fields.feed) {
    const rule = rules.feeds.find((r) => r.re.test(fields.feed!.name));
    if (rule) return { category: rule.category, why: [`feed name ${fields.feed.name} matches "${rule.pattern}" → ${rule.category}`] };
  }
  const body = text.slice(0, 20000);
  for (const [where, source] of [['subject', subject], ['text', body]] as const) {
    const rule = rules.phrases.find((r) => r.re.test(source));
    if (rule) return { category: rule.category, why: [`phrase "${rule.pattern}" in the ${where} → ${rule.category}`] };
  }
  // csam and threats decide on any mention, forwarded or not: a human must look.
  const safety = scoreWording(subject, body, rules, ['csam', 'violence']);
  if (safety) return safety;
  if (!forward) return scoreWording(subject, body, rules) ?? { category: 'other', why: ['no category wording found'] };
  // A forwarded message's own wording (a spam's "terrorist", a newsletter's
  // "copyright") says nothing of the complaint; the reporter's words do.
  const own = scoreWording(subject, forward.own.slice(0, 20000), rules);
  if (own) return own;
  if (forward.hasForwarded) return { category: 'spam', why: ["a forwarded or attached message, and no complaint wording of the reporter's own → spam"] };
  return { category: 'other', why: ['no category wording found'] };
}

// Characters that join a number to a reference or a URL around it: "#419",
// "?case=419", "/419/", "419-b", "ref:419", "AD-419", "419.html".
const JOINS_BEFORE = /[#/=?&@_:+\-.\p{L}\p{N}]/u;
const JOINS_AFTER = /[/=?&@_\-\p{L}\p{N}]/u;

/**
 * A wording match that holds a digit ("419") counts only as a word of its
 * own in prose: not part of a reference, a path, a query or a URL. Letters-only
 * words keep their plain word boundaries. A "." or ":" after it ends the word
 * unless more of the token follows ("419.html"). Looks at a few characters
 * around the match and at most one line, so it stays linear.
 */
function standsAsWord(text: string, at: number, word: string): boolean {
  if (!/\d/.test(word)) return true;
  const before = text[at - 1];
  if (before !== undefined && JOINS_BEFORE.test(before)) return false;
  const end = at + word.length;
  const after = text[end];
  if (after !== undefined && JOINS_AFTER.test(after)) return false;
  if ((after === '.' || after === ':') && /[\p{L}\p{N}]/u.test(text[end + 1] ?? '')) return false;
  // Inside a URL or a host: the token it belongs to starts with a scheme or www.
  const lineStart = Math.max(text.lastIndexOf('\n', at - 1) + 1, at - 300);
  const token = text.slice(lineStart, at).split(/\s/).pop() ?? '';
  return !/^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)/i.test(token);
}

function scoreWording(subject: string, body: string, rules: Rules, only?: Category[]): CategoryDecision | null {
  let best: { cat: Category; score: number; words: string[] } | null = null;
  for (const [cat, re] of rules.wording) {
    if (only && !only.includes(cat)) continue;
    const words: string[] = [];
    let score = 0;
    for (const m of subject.matchAll(re)) if (standsAsWord(subject, m.index, m[0])) (score += 2), words.push(m[0].toLowerCase());
    for (const m of body.matchAll(re)) if (standsAsWord(body, m.index, m[0])) (score += 1), words.push(m[0].toLowerCase());
    if (score > 0 && (!best || score > best.score || ((cat === 'csam' || cat === 'violence') && best.cat !== 'csam'))) {
      best = { cat, score, words };
      // csam and threats to life decide on any mention: a human must look.
      if (cat === 'csam') break;
    }
  }
  if (!best) return null;
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
