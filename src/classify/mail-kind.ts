import type { ParsedMessage } from '../parse/parsed-message.ts';
import { readReportFields, type ReportFields } from './report-fields.ts';

/**
 * What sort of mail reached abuse@:
 * - human: a person's complaint (acknowledged);
 * - arf / xarf / machine: generated reports (processed, never acknowledged);
 * - auto-reply, bounce, bulk: not complaints (neither processed nor acknowledged).
 */
export type MailKind = 'human' | 'arf' | 'xarf' | 'machine' | 'auto-reply' | 'bounce' | 'bulk';

export interface KindDecision {
  kind: MailKind;
  isComplaint: boolean;
  automated: boolean;
  why: string;
}

const header = (m: ParsedMessage, name: string): string => (m.headers[name]?.[0] ?? '').trim();
const has = (m: ParsedMessage, name: string): boolean => (m.headers[name]?.length ?? 0) > 0;

const AUTO_REPLY_SUBJECT =
  /^(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|r[ée]ponse automatique|absence|absent|abwesenheit|vacation|away from)\b/i;
const BOUNCE_FROM = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
// Reporting services (CERTs, blocklists, CDNs) often mail through list
// software. Only words a report's subject uses and a newsletter's rarely does:
// "phishing" or "malware" alone are a security newsletter's topics.
const REPORT_SUBJECT = /\b(abuse|notification|incident|complaint|takedown|infringement|cert|csirt|powiadomienie|signalement)\b/i;
const BOUNCE_SUBJECT = /(undeliver|delivery (status notification|failure|has failed)|returned mail|mail delivery failed|non remis|échec de (la )?remise|could not be delivered)/i;

/**
 * Whether the list headers are those of the abuse mailbox itself: many desks
 * run abuse@ as a group (Google Groups adds List-Id, List-Unsubscribe and
 * Precedence: list to every complaint). Such a list is named "abuse" or sits
 * under one of our own domains.
 */
export function isOwnList(m: ParsedMessage, ownDomains: readonly string[]): boolean {
  const ids = [...(m.headers['list-id'] ?? []), ...(m.headers['mailing-list'] ?? []), ...(m.headers['list-post'] ?? [])].join(' ').toLowerCase();
  if (!ids) return false;
  if (/(^|[<\s:])abuse([.@+-]|$)/.test(ids)) return true;
  return ownDomains.some((d) => ids.includes(`.${d.toLowerCase()}`) || ids.includes(`@${d.toLowerCase()}`));
}

/** RFC 9477 complaint feedback loop: the message carries the sender's CFBL headers and is itself the complaint. */
export function isCfblComplaint(m: ParsedMessage): boolean {
  return has(m, 'cfbl-feedback-id') || has(m, 'cfbl-address');
}

/** Decides the kind of a parsed message from its headers and structure; pure. */
export function detectMailKind(
  m: ParsedMessage,
  ownDomains: readonly string[] = [],
  fields: ReportFields = readReportFields(m),
  machineSenders: RegExp | null = null,
): KindDecision {
  const reportType = (m.contentTypeParams['report-type'] ?? '').toLowerCase();
  const autoSubmitted = header(m, 'auto-submitted').toLowerCase();
  const precedence = header(m, 'precedence').toLowerCase();
  const fromAddr = m.from?.address ?? '';

  // Bounces first: a DSN often also carries Auto-Submitted.
  if (m.contentType === 'multipart/report' && reportType === 'delivery-status') {
    return no('bounce', 'multipart/report; report-type=delivery-status (RFC 3464)');
  }
  if (BOUNCE_FROM.test(fromAddr) && (BOUNCE_SUBJECT.test(m.subject) || has(m, 'x-failed-recipients'))) {
    return no('bounce', `bounce from ${fromAddr.split('@')[0]}`);
  }
  if (has(m, 'x-failed-recipients')) return no('bounce', 'X-Failed-Recipients header');

  if (/^report domain:.*submitter:/i.test(m.subject)) return no('bulk', 'DMARC aggregate report (RFC 7489): statistics, not a complaint');
  if (autoSubmitted.startsWith('auto-replied')) return no('auto-reply', 'Auto-Submitted: auto-replied (RFC 3834)');
  if (has(m, 'x-autoreply') || has(m, 'x-autorespond') || precedence === 'auto_reply') {
    return no('auto-reply', 'auto-reply header (X-Autoreply / X-Autorespond / Precedence: auto_reply)');
  }
  if (/\b(oof|autoreply)\b/i.test(header(m, 'x-auto-response-suppress')) && AUTO_REPLY_SUBJECT.test(m.subject)) {
    return no('auto-reply', 'Outlook out-of-office');
  }
  if (AUTO_REPLY_SUBJECT.test(m.subject)) return no('auto-reply', 'auto-reply subject');

  // Machine reports are complaints even when sent as bulk.
  if (m.contentType === 'multipart/report' && reportType === 'feedback-report') {
    return yes('arf', true, 'multipart/report; report-type=feedback-report (ARF, RFC 5965)');
  }
  if (m.attachments.some((a) => a.contentType === 'message/feedback-report')) {
    return yes('arf', true, 'message/feedback-report part (ARF)');
  }
  const xarf = header(m, 'x-arf') || header(m, 'x-xarf');
  if (xarf && !/^no$/i.test(xarf)) return yes('xarf', true, `X-ARF header (${xarf.slice(0, 20)})`);
  // RFC 9477: the mailbox provider sends the complained-about message itself,
  // often a newsletter with list headers, to the address in its CFBL-Address.
  if (isCfblComplaint(m)) return yes('machine', true, 'CFBL complaint (RFC 9477): the reported message itself');
  if (fields.format === 'xarf' || fields.format === 'xarf4' || fields.format === 'xarf-json') return yes('xarf', true, `X-ARF report fields (${fields.format})`);
  if (fields.format === 'feed') return yes('machine', true, `CSV feed attachment (${fields.feed!.name})`);
  if (machineSenders?.test(fromAddr)) return yes('machine', true, `sender ${fromAddr} is a reporting service (rules: machineSenders)`);

  if (isOwnList(m, ownDomains)) {
    // Our own abuse@ group: its list headers (and its Precedence: list) say
    // nothing about the sender; a sender's own "bulk" or "junk" still does.
    const senderPrecedence = (m.headers.precedence ?? []).map((p) => p.trim().toLowerCase()).find((p) => p === 'bulk' || p === 'junk');
    if (senderPrecedence) return no('bulk', `Precedence: ${senderPrecedence} (through our own abuse@ list)`);
  } else if (has(m, 'list-id') || has(m, 'list-unsubscribe') || ['bulk', 'junk'].includes(precedence)) {
    // Precedence: list alone is too weak: reporting services set it on single reports.
    if (REPORT_SUBJECT.test(m.subject)) return yes('machine', true, `report sent through list software (subject names a report; ${has(m, 'list-id') ? 'List-Id' : has(m, 'list-unsubscribe') ? 'List-Unsubscribe' : `Precedence: ${precedence}`})`);
    return no('bulk', has(m, 'list-id') ? 'List-Id header (mailing list)' : has(m, 'list-unsubscribe') ? 'List-Unsubscribe header (newsletter)' : `Precedence: ${precedence}`);
  }
  if (autoSubmitted && autoSubmitted !== 'no') {
    return yes('machine', true, `Auto-Submitted: ${autoSubmitted.split(';')[0]} (generated report)`);
  }
  return yes('human', false, 'written by a person (no automation markers)');
}

function no(kind: MailKind, why: string): KindDecision {
  return { kind, isComplaint: false, automated: true, why };
}

function yes(kind: MailKind, automated: boolean, why: string): KindDecision {
  return { kind, isComplaint: true, automated, why };
}
