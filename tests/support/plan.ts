import { planReport } from '../../src/cases/plan-report.ts';
import { previewOutcome } from '../../src/cases/preview.ts';
import type { Config } from '../../src/config/schema.ts';
import type { CustomerDirectory } from '../../src/directory/customer-directory.ts';
import type { MailIntent } from '../../src/notify/mail-intent.ts';
import { planMails } from '../../src/notify/plan-mails.ts';
import type { ParsedMessage } from '../../src/parse/parsed-message.ts';
import type { Decision } from '../../src/triage/decision.ts';

/** The mails of a report that opens new cases, without a store. */
export function planAlone(m: ParsedMessage, d: Decision, directory: CustomerDirectory, config: Readonly<Config>, escalateTo = ''): MailIntent[] {
  const input = planReport(m, d, 'msg-00000000000000000000000000000000', '2026-11-20T09:00:00.000Z', { trustedReporters: config.cases.trustedReporters, noticePolicy: config.cases.noticePolicy });
  const outcome = previewOutcome(input, config.cases, (i) => `AD-2026-00000${i + 1}`);
  return planMails(m, d, outcome, directory, { reportRef: 'AD-0000000000', receivedAt: 'x', escalateTo, noticeExcerptChars: config.limits.noticeExcerptChars });
}
