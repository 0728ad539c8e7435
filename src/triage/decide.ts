import { classifyCategory, decidePriority } from '../classify/category.ts';
import { extractIndicators } from '../classify/extract-targets.ts';
import { detectLanguage } from '../classify/language.ts';
import { detectMailKind } from '../classify/mail-kind.ts';
import { readReportFields } from '../classify/report-fields.ts';
import type { Language } from '../config/schema.ts';
import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import type { Action, Decision } from './decision.ts';
import { matchTargets } from './match-targets.ts';

export interface TriageSettings {
  ownDomains: readonly string[];
  defaultLanguage: Language;
  profileUrlPatterns: readonly string[];
  atHandles: boolean;
}

// Addresses that never read a reply.
const NO_REPLY = /^(no-?reply|do-?not-?reply|mailer-daemon|bounces?)([+.-].*)?@/i;

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Triage of one parsed message: kind, language, category, priority, targets
 * matched to customers, and the actions to take. Pure and deterministic.
 */
export function decide(m: ParsedMessage, directory: CustomerDirectory, settings: TriageSettings): Decision {
  const why: string[] = [];
  const kind = detectMailKind(m);
  why.push(`kind: ${kind.kind} (${kind.why})`);

  const lang = detectLanguage(`${m.subject}\n${m.text}`, settings.defaultLanguage);
  why.push(`language: ${lang.language} (${lang.why})`);

  const base = { isComplaint: kind.isComplaint, automated: kind.automated, mailKind: kind.kind, language: lang.language };
  if (!kind.isComplaint) {
    return { ...base, category: 'other', priority: 'low', targets: [], actions: [], why: [...why, 'not a complaint: no case, no reply'] };
  }

  const fields = readReportFields(m);
  const cat = classifyCategory(fields, m.subject, m.text);
  why.push(...cat.why.map((w) => `category: ${w}`));
  const prio = decidePriority(cat.category, `${m.subject}\n${m.text}`, kind.automated);
  why.push(`priority: ${prio.priority} (${prio.why})`);

  const parties = [m.from, m.replyTo, m.sender].filter((a) => a !== null);
  const recipients = [...m.to, ...m.cc];
  const extractCtx = {
    ownDomains: settings.ownDomains,
    reporterDomains: [...parties, ...recipients].map((a) => domainOf(a.address)),
    profileUrlPatterns: settings.profileUrlPatterns,
    atHandles: settings.atHandles,
  };
  // What a machine report states as its source is authoritative, even when it
  // shares a domain with the reporter; the rest of such a report is boilerplate.
  const stated = extractIndicators([fields.sources.join('\n')], { ...extractCtx, reporterDomains: [] });
  const indicators =
    kind.automated && stated.length
      ? stated
      : [...stated, ...extractIndicators([m.subject, m.text, m.links.join('\n'), ...m.attachments.map((a) => a.text ?? '')], extractCtx)];
  const targets = matchTargets(indicators, directory);
  why.push(`targets: ${targets.length} found, ${targets.filter((t) => t.customerId).length} matched to a customer`);

  const actions: Action[] = [];
  const reporter = m.replyTo ?? m.from;
  const isOwn = (address: string): boolean => {
    const domain = domainOf(address);
    return settings.ownDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
  };
  if (kind.automated) {
    why.push('acknowledge: no (machine-generated report)');
  } else if (!reporter) {
    why.push('acknowledge: no (no sender address)');
  } else if (NO_REPLY.test(reporter.address) || isOwn(reporter.address)) {
    why.push('acknowledge: no (sender cannot or must not be answered)');
  } else {
    actions.push({ kind: 'acknowledge', to: reporter.address, language: lang.language });
  }

  if (cat.category === 'csam') {
    actions.push({ kind: 'escalate', reason: 'csam: customers are never notified automatically; a human reviews and reports to the authorities' });
  } else {
    // One notice per customer, listing only the targets tied to that customer.
    const perCustomer = new Map<string, string[]>();
    for (const t of targets) {
      for (const match of t.matches) {
        const list = perCustomer.get(match.customerId) ?? [];
        if (!list.includes(t.value)) list.push(t.value);
        perCustomer.set(match.customerId, list);
      }
    }
    for (const [customerId, values] of perCustomer) {
      const customer = directory.customer(customerId);
      if (!customer) continue;
      actions.push({ kind: 'notify', customerId, to: customer.contact.email, language: customer.contact.language, targets: values });
    }
    if (prio.priority === 'urgent') actions.push({ kind: 'escalate', reason: `urgent: ${prio.why}` });
  }
  if (!targets.some((t) => t.customerId) && cat.category !== 'csam') why.push('no customer matched: the case waits for a human');

  return { ...base, category: cat.category, priority: prio.priority, targets, actions, why };
}
