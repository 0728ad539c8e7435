import { createHash } from 'node:crypto';
import type { PackedEvidence } from './evidence-pack.ts';
import { caseFamily } from './case-family.ts';
import { splitForward } from '../classify/forwards.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import type { Verdict } from '../triage/verdict.ts';
import { isTrusted } from '../text/trusted-address.ts';
import { noticePolicy, type CaseTargetType, type NoticePolicy, type PolicyRule } from './notice-policy.ts';
import type { Category, Priority } from '../config/category-names.ts';

/** One case a report belongs to: at most one open case per key. */
export interface CaseLink {
  key: string;
  customerId: string | null;
  targetType: CaseTargetType;
  targetValue: string;
  category: Category;
  policy: NoticePolicy;
}

/** A triaged complaint as the case store takes it. */
export interface ReportInput {
  messageKey: string;
  receivedAt: string;
  reporter: { hash: string; address: string; name: string | null; language: string } | null;
  trusted: boolean;
  category: Category;
  priority: Priority;
  automated: boolean;
  /** sha256 of the raw message (hex). */
  evidence: string | null;
  /** Set when a person must look at this report whatever its cases: why. */
  escalate: string | null;
  links: CaseLink[];
  /** Spam only: what ties reports of one campaign together. */
  signals: string[];
  /** Why triage decided as it did; kept in the history of the cases this report opens. */
  why: string[];
  /** The report as a person reads it, and the raw message: stored with the report (report_evidence). */
  kept?: PackedEvidence;
}

export interface ReportPlanSettings {
  trustedReporters: readonly string[];
  noticePolicy: readonly PolicyRule[];
}

export const reporterHash = (address: string): string => createHash('sha256').update(address.trim().toLowerCase()).digest('hex');

/**
 * The case key and notice policy of each target of a decision, the
 * reporter, and the campaign signals: everything the store needs. A report
 * naming no target gets a case of its own (a person must find what it is
 * about). Pure.
 */
export function planReport(m: ParsedMessage, d: Verdict, messageKey: string, receivedAt: string, s: ReportPlanSettings): ReportInput {
  const party = m.replyTo ?? m.from;
  const escalation = d.actions.find((a) => a.kind === 'escalate');
  const links: CaseLink[] = [];
  const seen = new Set<string>();
  // One case per customer tied to a reported target (the host, and the
  // registrant of its domain), or one with no customer. Context targets (the
  // genuine site, the victim…) open no case.
  for (const t of d.targets.filter((x) => x.role === 'reported')) {
    const owners = [...new Set([t.customerId, ...t.matches.map((m) => m.customerId)].filter((c): c is string => !!c))];
    for (const customerId of owners.length ? owners : [null]) {
      const key = caseKey(customerId, t.type, t.value, d.category);
      if (seen.has(key)) continue;
      seen.add(key);
      // A target only named waits for a person to confirm it (its customer's case only: the registrant of its domain waits too).
      const policy = t.toConfirm ? 'confirm' : noticePolicy(d.category, t.type, s.noticePolicy);
      links.push({ key, customerId, targetType: t.type, targetValue: t.value, category: d.category, policy });
    }
  }
  if (!links.length) {
    // Its own case: the target is the message itself (its key), so no two such reports share one.
    links.push({ key: caseKey(null, 'none', messageKey, d.category), customerId: null, targetType: 'none', targetValue: messageKey, category: d.category, policy: noticePolicy(d.category, 'none', s.noticePolicy) });
  }
  return {
    messageKey,
    receivedAt,
    reporter: party ? { hash: reporterHash(party.address), address: party.address.toLowerCase(), name: party.name || null, language: d.language } : null,
    trusted: party ? isTrusted(party.address, s.trustedReporters) : false,
    category: d.category,
    priority: d.priority,
    automated: d.automated,
    evidence: m.sha256 || null,
    escalate: escalation && escalation.kind === 'escalate' ? escalation.reason : null,
    links,
    signals: d.category === 'spam' ? campaignSignals(m, d) : [],
    why: d.why.slice(0, 40).map((w) => w.slice(0, 300)),
  };
}

/** What makes a case one: customer, target and family (conduct against a person on an account is one case whatever its category). */
export function caseKey(customerId: string | null, type: string, value: string, category: Category): string {
  return `${customerId ?? '-'}|${type}|${value.toLowerCase()}|${caseFamily(category, type)}`;
}

/**
 * What ties a spam report to others of the same campaign: each sending or
 * advertised server and domain, and the hash of the spam's normalised body
 * (case, digits and spacing ignored, so per-recipient tokens do not split it).
 */
export function campaignSignals(m: ParsedMessage, d: Verdict): string[] {
  const out = new Set<string>();
  for (const t of d.targets) if (t.type !== 'account' && t.role === 'reported') out.add(`${t.type}:${t.value.toLowerCase()}`);
  const body = spamBody(m);
  if (body.length >= 200) out.add(`body:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`);
  return [...out].sort();
}

function spamBody(m: ParsedMessage): string {
  const attached = m.attachments.find((a) => a.text && (a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers'));
  const raw = attached?.text ?? splitForward(m.text).forwarded;
  // The body after the forwarded headers: its first blank line.
  const start = raw.search(/\r?\n\r?\n/);
  return (start >= 0 ? raw.slice(start) : raw)
    .slice(0, 20_000)
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}
