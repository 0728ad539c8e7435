import type { MailIntent } from './mail-intent.ts';
import { casePlusAddress, customerReplyTag } from '../cases/reply-address.ts';
import { render, type TemplateSet } from './templates.ts';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative, when the template has one. */
  html?: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers: Record<string, string>;
}

export interface ComposeSettings {
  deskName: string;
  from: string;
  /** Reply-To the case's plus-address (desk.replyToCase). */
  replyToCase?: boolean;
  /** The key of the customers' tagged reply addresses (src/notify/reply-address.ts); without it customers get no Reply-To. */
  replySecret?: Buffer;
}

// The mails a customer gets: their answers may change the case, so they go to the tagged address.
const TO_CUSTOMER: ReadonlySet<string> = new Set(['notice', 'statement']);

/** Where a mail asks to be answered: the reporter at the case's plus-address, the customer at its tagged one. */
function replyTo(intent: MailIntent, s: ComposeSettings): string | null {
  // Escalations go to our own people; everything else answers into its case.
  if (!s.replyToCase || intent.kind === 'escalation' || !/^[A-Z]+-\d{4}-\d+$/.test(intent.caseRef)) return null;
  const address = senderAddress(s.from);
  if (!TO_CUSTOMER.has(intent.kind)) return casePlusAddress(address, intent.caseRef);
  return s.replySecret ? casePlusAddress(address, intent.caseRef, customerReplyTag(s.replySecret, intent.caseRef)) : null;
}

/** Domain part of the desk's From address, for Message-IDs. */
export function senderDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'abuse-desk.invalid';
}

/** Renders an intent into a complete message. Pure: the same intent always gives the same mail. */
export function composeMail(intent: MailIntent, set: TemplateSet, s: ComposeSettings): OutgoingMail {
  const labels = set.labels[intent.language];
  const view = {
    ...intent,
    deskName: s.deskName,
    categoryLabel: labels.categories[intent.category],
    urgent: intent.priority === 'urgent',
    hasTargets: intent.targets.length > 0,
    missing: (intent.missing ?? []).map((part) => labels.noticeParts[part]),
    hasMissing: (intent.missing ?? []).length > 0,
    // The missing-parts list already asks for the location when it applies.
    askForAddress: intent.targets.length === 0 && !(intent.missing ?? []).length,
    targets: intent.kind === 'notice' ? intent.targets.map((t) => ({ ...t, reasonLabel: t.reason ? labels.reasons[t.reason] : '' })) : intent.targets.map((t) => t.value),
    firstTarget: intent.targets[0]?.value ?? '',
    isUpdate: (intent.noticeSeq ?? 1) > 1,
    outcomeLabel: intent.outcome ? labels.outcomes[intent.outcome as keyof typeof labels.outcomes] ?? intent.outcome : '',
    review: (intent.cases ?? []).some((c) => c.status === 'awaiting_review'),
    targetCount: intent.targets.length,
  };
  const variant =
    intent.kind === 'notice' ? ((intent.noticeSeq ?? 1) > 1 ? 'notice-update' : intent.template) : intent.kind === 'acknowledgement' && (intent.missing ?? []).length ? 'acknowledgement-incomplete' : undefined;
  const { subject, text, html } = render(set, intent.kind, intent.language, view, variant, intent.category);
  const reply = replyTo(intent, s);
  return {
    from: s.from,
    to: intent.to,
    subject,
    text,
    ...(html ? { html } : {}),
    messageId: `<${intent.id}@${senderDomain(s.from)}>`,
    inReplyTo: intent.inReplyTo,
    references: intent.references,
    headers: {
      // RFC 3834: marks the mail as automatic so well-behaved systems do not answer it.
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'All',
      'X-Abuse-Desk-Case': intent.caseRef,
      ...(reply ? { 'Reply-To': reply } : {}),
    },
  };
}

/** The envelope sender: the bare address of the desk's From. */
export function senderAddress(from: string): string {
  const m = /<([^>]+)>\s*$/.exec(from);
  return (m?.[1] ?? from).trim();
}

