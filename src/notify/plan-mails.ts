import { createHash } from 'node:crypto';
import type { ReportOutcome } from '../cases/plan-assignment.ts';
import type { Config } from '../config/schema.ts';
import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import type { Verdict } from '../triage/verdict.ts';
import type { MailIntent } from './mail-intent.ts';
import { redactExcerpt } from './redact.ts';

export interface PlanSettings {
  /** The report's own reference, derived from its message key: ids of its acknowledgement and escalation. */
  reportRef: string;
  /** The report's message key (the acknowledgement clock's entry). */
  reportKey?: string;
  /** When the complaint reached the mailbox (ISO). */
  receivedAt: string;
  escalateTo: string;
  noticeExcerptChars: number;
  /** The graduated response's rungs: a first notice uses its rung's template and deadline. */
  ladder?: Config['ladder'];
}

/** Deterministic id of one outgoing mail: the same case, kind and recipient always give the same id. */
export function mailId(ref: string, kind: string, to: string): string {
  const h = createHash('sha256').update(`${ref}\n${kind}\n${to.toLowerCase()}`).digest('hex').slice(0, 16);
  return `${ref}.${kind}.${h}`;
}

/**
 * The mails one report sets off, from its triage decision and what the case
 * store did with it: an acknowledgement naming its cases and their size, the
 * notices the cases called for (one per case, then updates), and one
 * escalation for all its cases that need a person. The same outcome always
 * gives the same mails, with the same ids. Pure.
 */
export function planMails(m: ParsedMessage, d: Verdict, o: ReportOutcome, directory: CustomerDirectory, s: PlanSettings): MailIntent[] {
  const primary = o.cases[0];
  const base = {
    caseRef: primary?.ref ?? s.reportRef,
    category: d.category,
    priority: o.cases.map((c) => c.priority).find((p) => p === 'urgent') ?? d.priority,
    receivedAt: s.receivedAt,
    automated: d.automated,
  };
  const caseList = o.cases.map((c) => ({
    ref: c.ref,
    reports: c.reportCount,
    reporters: c.reporterCount,
    joined: c.reportCount > 1,
    target: c.targetType === 'none' ? '(no address found)' : c.targetValue,
    priority: c.priority,
    status: c.status,
  }));
  const parties = [m.from, m.replyTo, m.sender].filter((a) => a !== null);
  const reporter = { names: parties.map((a) => a.name).filter(Boolean), addresses: parties.map((a) => a.address) };
  const out: MailIntent[] = [];

  const ack = d.actions.find((a) => a.kind === 'acknowledge');
  if (ack && ack.kind === 'acknowledge') {
    out.push({
      ...base,
      id: mailId(s.reportRef, 'acknowledgement', ack.to),
      kind: 'acknowledgement',
      ...(s.reportKey ? { reportKey: s.reportKey } : {}),
      to: ack.to,
      language: ack.language,
      targets: d.targets.filter((t) => t.role === 'reported').map((t) => ({ value: t.value, seen: [] })),
      inReplyTo: m.messageId ?? undefined,
      references: m.messageId ? [...m.references, m.messageId].slice(-20) : m.references.slice(-20),
      originalSubject: m.subject.slice(0, 200),
      missing: d.notice.missing,
      cases: caseList,
    });
  }

  // A report's notices to one customer go in one mail, one line per case.
  const byCustomer = new Map<string, Array<{ c: ReportOutcome['cases'][number]; seq: number; newReports: number; total: number; rung?: number }>>();
  for (const n of o.notices) {
    const c = o.cases.find((x) => x.id === n.caseId);
    if (!c?.customerId) continue;
    byCustomer.set(c.customerId, [...(byCustomer.get(c.customerId) ?? []), { c, seq: n.seq, newReports: n.newReports, total: n.total ?? c.reportCount, rung: n.rung }]);
  }
  for (const [customerId, due] of byCustomer) {
    const customer = directory.customer(customerId);
    if (!customer) continue;
    const first = due[0]!;
    const opening = due.filter((x) => x.seq === 1);
    const onAccount = due.some((x) => x.c.targetType === 'account');
    const rungIndex = Math.max(-1, ...due.map((x) => x.rung ?? -1));
    const rung = rungIndex >= 0 ? s.ladder?.rungs[rungIndex] : undefined;
    out.push({
      ...base,
      caseRef: first.c.ref,
      priority: due.map((x) => x.c.priority).find((p) => p === 'urgent' || p === 'high') ?? first.c.priority,
      id: mailId(due.map((x) => `${x.c.ref}#${x.seq}`).join(','), 'notice', customer.contact.email),
      kind: 'notice',
      to: customer.contact.email,
      language: customer.contact.language,
      targets: due.map(({ c }) => {
        const target = d.targets.find((t) => t.value === c.targetValue && t.type === c.targetType);
        return { value: c.targetValue, reason: target?.matches.find((x) => x.customerId === customerId)?.reason, seen: target?.seen ?? [], caseRef: c.ref };
      }),
      customerId: customer.id,
      customerName: customer.name,
      // A notice about an account never quotes the reporter (the account
      // holder is the accused person); an update quotes the report that set it off.
      excerpt: onAccount ? undefined : redactExcerpt(m.text, reporter, s.noticeExcerptChars) || undefined,
      noticeSeq: opening.length ? 1 : Math.max(...due.map((x) => x.seq)),
      caseReports: due.reduce((n, x) => n + x.total, 0),
      newReports: due.reduce((n, x) => n + x.newReports, 0),
      ...(rung ? { template: rung.template, rung: rung.name, deadlineDays: rung.deadlineDays } : {}),
    });
  }

  if (o.escalation && s.escalateTo) {
    const cases = caseList.filter((c) => o.escalation!.caseIds.includes(o.cases.find((x) => x.ref === c.ref)!.id));
    out.push({
      ...base,
      caseRef: cases[0]?.ref ?? base.caseRef,
      id: mailId(`${s.reportRef}#${o.escalation.seq}`, 'escalation', s.escalateTo),
      kind: 'escalation',
      to: s.escalateTo,
      language: 'en',
      targets: cases.map((c) => ({ value: c.target, seen: [] })),
      reason: o.escalation.reasons.join('; '),
      cases,
    });
  }
  return out;
}
