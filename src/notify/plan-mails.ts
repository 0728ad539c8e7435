import { createHash } from 'node:crypto';
import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import type { Decision } from '../triage/decision.ts';
import type { MailIntent } from './mail-intent.ts';
import { redactExcerpt } from './redact.ts';

export interface PlanSettings {
  caseRef: string;
  /** When the complaint reached the mailbox (ISO). */
  receivedAt: string;
  escalateTo: string;
  noticeExcerptChars: number;
}

/** Deterministic id of one outgoing mail: the same case, kind and recipient always give the same id. */
export function mailId(caseRef: string, kind: string, to: string): string {
  const h = createHash('sha256').update(`${caseRef}\n${kind}\n${to.toLowerCase()}`).digest('hex').slice(0, 16);
  return `${caseRef}.${kind}.${h}`;
}

/** The mails a triage decision calls for. Pure. */
export function planMails(m: ParsedMessage, d: Decision, directory: CustomerDirectory, s: PlanSettings): MailIntent[] {
  const base = {
    caseRef: s.caseRef,
    category: d.category,
    priority: d.priority,
    receivedAt: s.receivedAt,
    automated: d.automated,
  };
  const parties = [m.from, m.replyTo, m.sender].filter((a) => a !== null);
  const reporter = { names: parties.map((a) => a.name).filter(Boolean), addresses: parties.map((a) => a.address) };
  const out: MailIntent[] = [];
  for (const action of d.actions) {
    if (action.kind === 'acknowledge') {
      out.push({
        ...base,
        id: mailId(s.caseRef, 'acknowledgement', action.to),
        kind: 'acknowledgement',
        to: action.to,
        language: action.language,
        targets: d.targets.map((t) => ({ value: t.value, seen: [] })),
        inReplyTo: m.messageId ?? undefined,
        references: m.messageId ? [...m.references, m.messageId].slice(-20) : m.references.slice(-20),
        originalSubject: m.subject.slice(0, 200),
        missing: d.notice.missing,
      });
    } else if (action.kind === 'notify') {
      const customer = directory.customer(action.customerId);
      const targets = d.targets
        .filter((t) => action.targets.includes(t.value))
        .map((t) => ({ value: t.value, reason: t.matches.find((x) => x.customerId === action.customerId)?.reason, seen: t.seen }));
      out.push({
        ...base,
        id: mailId(s.caseRef, 'notice', action.to),
        kind: 'notice',
        to: action.to,
        language: action.language,
        targets,
        customerId: action.customerId,
        customerName: customer?.name ?? action.customerId,
        excerpt: redactExcerpt(m.text, reporter, s.noticeExcerptChars),
      });
    } else if (action.kind === 'escalate' && s.escalateTo) {
      out.push({
        ...base,
        id: mailId(s.caseRef, 'escalation', s.escalateTo),
        kind: 'escalation',
        to: s.escalateTo,
        language: 'en',
        targets: d.targets.map((t) => ({ value: t.value, seen: [] })),
        reason: action.reason,
      });
    }
  }
  return out;
}
