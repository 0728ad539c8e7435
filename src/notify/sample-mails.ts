import type { Language } from '../config/schema.ts';
import type { MailIntent } from './mail-intent.ts';
import type { MailKind } from './templates.ts';

/**
 * One intent of each kind with every field filled, for `abuse-desk render`
 * and the template tests. Reserved names only (RFC 2606, 5737).
 */
export function sampleIntent(kind: MailKind, language: Language, template?: string): MailIntent {
  const base = {
    id: `AD-2026-000123.${kind}.sample`,
    kind,
    language,
    caseRef: 'AD-2026-000123',
    category: 'phishing' as const,
    priority: 'high' as const,
    receivedAt: '2026-11-20T09:00:00.000Z',
    automated: false,
  };
  const target = { value: 'www.example.test', seen: ['http://www.example.test/login.php'] };
  const cases = [{ ref: 'AD-2026-000123', reports: 3, reporters: 2, joined: true, target: 'www.example.test', priority: 'high', status: 'open' }];
  switch (kind) {
    case 'acknowledgement':
      return { ...base, to: 'reporter@example.org', targets: [target], originalSubject: 'Phishing page', missing: ['goodFaith'], cases, inReplyTo: '<c@example.org>', references: ['<c@example.org>'] };
    case 'notice':
      return {
        ...base, to: 'admin@example.test', targets: [{ ...target, reason: 'hosted', caseRef: 'AD-2026-000123' }], customerId: 'C100', customerName: 'Example SARL',
        excerpt: 'This page imitates my bank: http://www.example.test/login.php', noticeSeq: 1, caseReports: 3, newReports: 3, deadlineDays: 14, ...(template ? { template } : {}),
      };
    case 'escalation':
      return { ...base, priority: 'urgent', to: 'oncall@example.net', targets: [target], reason: 'urgent: 50 distinct reporters', cases };
    case 'decision':
      return { ...base, to: 'reporter@example.org', targets: [target], outcome: 'action_taken', reason: 'The page was removed.' };
    case 'unfounded':
      return { ...base, to: 'reporter@example.org', targets: [target] };
    case 'statement':
      return {
        ...base, to: 'admin@example.test', targets: [target], customerId: 'C100', customerName: 'Example SARL', caseReports: 3, outcome: 'action_taken',
        ground: 'terms of service, 4.2 (phishing)', reason: 'The page imitated a bank.', firstSeen: '2026-11-20T09:00:00.000Z', lastSeen: '2026-11-21T10:00:00.000Z', automatedDetection: false,
      };
  }
}
