import { classifyCategory, decidePriority, type Category, type Priority } from '../classify/category.ts';
import { extractIndicators, statedHost, type ExtractContext } from '../classify/extract-targets.ts';
import type { Indicator } from '../classify/indicator.ts';
import { beforePastedHeaders, splitForward } from '../classify/forwards.ts';
import { statedHosting } from '../classify/stated-hosting.ts';
import { checkNotice, type NoticeCheck } from '../classify/notice-completeness.ts';
import { detectLanguage } from '../classify/language.ts';
import { detectMailKind, isCfblComplaint, type KindDecision } from '../classify/mail-kind.ts';
import { readReportFields } from '../classify/report-fields.ts';
import type { Rules } from '../classify/rules.ts';
import { allReceivedFields, asWritten, clientAddresses, findSpamSources, innermostMessage, parseReceived, receivingSide, singleSpaced, type SpamSource } from '../classify/spam-source.ts';
import type { Language } from '../config/schema.ts';
import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { Resolution } from '../directory/dns-resolver.ts';
import type { ParsedMessage, TextAttachment } from '../parse/parsed-message.ts';
import { domainOf } from '../text/email-address.ts';
import { registrableDomain } from '../directory/names.ts';
import type { Action, Verdict } from './verdict.ts';
import { isAddress, matchTargets } from './match-targets.ts';
import { isTrusted } from '../text/trusted-address.ts';
import { applyLearned, reportSource, type LearnedRule } from './learned-rules.ts';
import { decideRoles } from '../classify/target-roles.ts';
import { RoleScan } from '../classify/role-scan.ts';
import { copyAsEvidence, imitatedSites } from '../classify/report-roles.ts';
import { withBasis } from '../classify/target-basis.ts';

export interface TriageSettings {
  rules: Rules;
  ownDomains: readonly string[];
  defaultLanguage: Language;
  profileUrlPatterns: readonly string[];
  atHandles: boolean;
  /** Where a target the report only names is notified without a person (cases.namedTargets); elsewhere it waits. */
  namedTargets?: { notifyCategories: readonly Category[]; notifyReporters: readonly string[] };
}

/** Everything triage can tell from the message alone, before the directory and DNS. */
export interface Analysis {
  kind: KindDecision;
  language: Language;
  category: Category;
  priority: Priority;
  priorityWhy: string;
  indicators: Indicator[];
  notice: NoticeCheck;
  why: string[];
  /** Set when a person must look whatever the category: the reason. */
  escalate?: string;
}

// Addresses that never read a reply.
const NO_REPLY = /^(no-?reply|do-?not-?reply|mailer-daemon|bounces?)([+.-].*)?@/i;

// RFC 2142 role mailboxes, and the like, of the providers and authorities a complaint is copied to.
const ROLE_MAILBOX = /^(abuse|postmaster|hostmaster|noc|security|cert|csirt|soc|legal|dmca|copyright|phishing|spam|report|reports|support|takedown)([+._-][^@]*)?@/i;

// Fwd:, Fw:, TR: (fr), WG: (de), RV: (es), ENC: (pt).
const FORWARD_SUBJECT = /^\s*(fwd?|tr|wg|rv|enc)\s*:/i;
// Categories where a site is accused of imitating another.
const IMITATED: ReadonlySet<Category> = new Set(['phishing', 'fraud', 'trademark']);
// Categories whose forwarded copy is the abusive mail itself, not a complaint passed on.
const ABUSIVE_MAIL: ReadonlySet<Category> = new Set(['spam', 'phishing', 'fraud', 'malware']);

const isAttachedMessage = (a: TextAttachment): boolean => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers';

/** Kind, language, category, priority and indicators of a message. Pure. */
export function analyse(m: ParsedMessage, settings: TriageSettings): Analysis {
  const why: string[] = [];
  const fields = readReportFields(m);
  const kind = detectMailKind(m, settings.ownDomains, fields, settings.rules.machineSenders);
  why.push(`kind: ${kind.kind} (${kind.why})`);
  // The reporter's own words, before any forwarded or quoted message.
  const split = splitForward(m.text);
  const own = split.own;
  const lang = detectLanguage(m.subject, own, m.text, settings.defaultLanguage);
  why.push(`language: ${lang.language} (${lang.why})`);
  if (!kind.isComplaint) {
    why.push('not a complaint: no case, no reply');
    return { kind, language: lang.language, category: 'other', priority: 'low', priorityWhy: 'not a complaint', indicators: [], notice: { complete: true, missing: [], exempt: 'not a complaint' }, why };
  }

  why.push(...fields.notes.map((n) => `report: ${n}`));
  const hasForwarded =
    !!split.forwarded ||
    FORWARD_SUBJECT.test(m.subject) ||
    m.attachments.some(isAttachedMessage) ||
    /^Received: /m.test(m.text);
  const cfbl = isCfblComplaint(m);
  const cat = cfbl
    ? { category: 'spam' as const, why: ['CFBL complaint (RFC 9477) → spam'] }
    : classifyCategory(fields, m.subject, m.text, settings.rules, { own, hasForwarded });
  why.push(...cat.why.map((w) => `category: ${w}`));
  const prio = decidePriority(cat.category, `${m.subject}\n${m.text}`, kind.automated, settings.rules);
  why.push(`priority: ${prio.priority} (${prio.why})`);

  const parties = [m.from, m.replyTo, m.sender].filter((a) => a !== null);
  const recipients = [...m.to, ...m.cc];
  const extractCtx = {
    ownDomains: settings.ownDomains,
    // Other desks copied in (abuse@, noc@...) are not targets, their customers under their domain are; a site owner copied in (info@site) may be.
    reporterDomains: parties.map((a) => domainOf(a.address)),
    deskDomains: recipients.filter((a) => ROLE_MAILBOX.test(a.address)).map((a) => domainOf(a.address)),
    profileUrlPatterns: settings.profileUrlPatterns,
    atHandles: settings.atHandles,
  };
  // What a machine report states as its source is authoritative, even when it
  // shares a domain with the reporter; the rest of such a report is boilerplate.
  const stated = cfbl
    ? cfblIndicators(m, extractCtx)
    : fields.feed
    ? [
        ...fields.feed.addresses.map((ip): Indicator => ({ kind: 'ip', value: ip, host: ip })),
        ...fields.feed.hosts.map(statedHost).filter((i) => i !== null),
      ]
    : extractIndicators([fields.sources.join('\n')], { ...extractCtx, reporterDomains: [] });
  // Where a stated URL is served from, when the report writes it beside the URL.
  if (!cfbl && !fields.feed) stated.push(...statedHosting(m.text, stated).filter((a) => !stated.some((s) => s.kind === 'ip' && s.value === a.value)));
  // A SpamCop report passed on by a provider's desk is still SpamCop's statement of what it is about.
  const statedOnly = (kind.automated || fields.format === 'spamcop') && stated.length > 0;
  let indicators =
    statedOnly
      ? stated
      : [...stated, ...extractIndicators([m.subject, m.text, m.links.join('\n'), ...m.attachments.map((a) => a.text ?? '')], extractCtx)];

  // The server that sent a forwarded or attached spam is a target even when
  // the complaint never names it; it goes first.
  const spamSent = new Set<string>();
  let receivingIps = new Set<string>();
  let receivingDomains = new Set<string>();
  if (!statedOnly) {
    // Trust only the reporter's own domains: a desk copied in (abuse@ the sender's provider) runs the relays that sent it.
    const { sources, receiving } = spamSourcesOf(m, parties.map((a) => domainOf(a.address)));
    receivingIps = receiving.ips;
    receivingDomains = receiving.domains;
    for (const s of sources) spamSent.add(s.ip);
    for (const s of sources) why.push(`spam source: ${s.why}`);
    const ips = new Set(sources.map((s) => s.ip));
    indicators = [...sources.map((s): Indicator => ({ kind: 'ip', value: s.ip, host: s.ip })), ...indicators.filter((i) => !(i.kind === 'ip' && ips.has(i.value)))];
  }
  // What the complaint says of each name: stated fields and the spam's sender are reported; the rest is read from the text.
  const stand = new Set([...stated, ...indicators.filter((i) => i.kind === 'ip' && spamSent.has(i.value))].map((i) => `${i.kind}:${i.value}`));
  // The recipient's mail domain (an ARF report's Original-Rcpt-To; some put it in Reported-Domain too) is the complainant's side.
  // A name the report's fields state is context only when it is that domain exactly (a list at lists.example.edu may send to example.edu).
  const recipientHosts = new Set(fields.recipients.map((r) => domainOf(r.replace(/[<>\s]/g, ''))).filter((d) => d));
  const recipientDomains = new Set([...recipientHosts].map((d) => registrableDomain(d) ?? d));
  const isRecipients = (i: Indicator): boolean =>
    !!i.host && !spamSent.has(i.value) && (stand.has(`${i.kind}:${i.value}`) ? recipientHosts.has(i.host) : recipientDomains.has(registrableDomain(i.host) ?? i.host));
  // Attached messages are read too (their Received fields, their footers); only the body holds the reporter's own words.
  let scanned: RoleScan | null = null;
  // Where the scanned text holds a copy of the abusive mail rather than the reporter's own words: for a person, all
  // after their own words; for a machine report, its forwarded part and attached messages (its other parts are its data).
  const copies: Array<[number, number]> = [];
  const scanOf = (): RoleScan => (scanned ??= newScan());
  const newScan = (): RoleScan => {
    // Headers pasted double-spaced read as written (the reporter's words and the rest apart, so that ownEnd still holds).
    const ownPart = singleSpaced(m.text.slice(0, split.ownEnd));
    const parts = [ownPart + singleSpaced(m.text.slice(split.ownEnd)), ...m.attachments.map((a) => singleSpaced(a.text ?? ''))];
    const body = parts.join('\n');
    if (!kind.automated) copies.push([ownPart.length, body.length]);
    else {
      copies.push([ownPart.length, parts[0]!.length]);
      let at = parts[0]!.length + 1;
      m.attachments.forEach((a, k) => {
        const len = parts[k + 1]!.length;
        if (isAttachedMessage(a)) copies.push([at, at + len]);
        at += len + 1;
      });
    }
    // Once the spam's source is known, every other hop's sender is a relay (ours, the report's own path), a claim its
    // sender wrote, or the client that handed the spam to the source (the source's provider answers for it).
    const fields = spamSent.size ? [...(m.headers.received ?? []), ...allReceivedFields(body)] : [];
    const hops = [...fields.map((f) => parseReceived(f).fromIp), ...(spamSent.size ? clientAddresses(body) : [])];
    const pathHops = new Set(hops.filter((ip): ip is string => ip !== null && !spamSent.has(ip)));
    return new RoleScan(body, settings.rules.roles, ownPart.length, { reporterDomains: extractCtx.reporterDomains, automated: kind.automated, pathHops, signedCopies: !ABUSIVE_MAIL.has(cat.category) });
  };
  indicators = decideRoles(indicators, scanOf, (i) => {
    if (isRecipients(i)) return { role: 'context', why: "the recipient's own mail domain (Original-Rcpt-To)" };
    if (!stand.has(`${i.kind}:${i.value}`) && i.kind !== 'url' && (receivingIps.has(i.value) || (i.kind !== 'ip' && receivingDomains.has(registrableDomain(i.host) ?? i.host)))) {
      return { role: 'context', why: "the recipient's own mail servers (Received hops above the spam's source)" };
    }
    return stand.has(`${i.kind}:${i.value}`) ? { role: 'reported', why: spamSent.has(i.value) ? 'sent the spam' : "stated by the report's fields" } : null;
  });
  if (IMITATED.has(cat.category)) indicators = imitatedSites(indicators, (i) => stand.has(`${i.kind}:${i.value}`));
  if (!kind.automated && hasForwarded) {
    indicators = copyAsEvidence(indicators, `${m.subject}\n${beforePastedHeaders(m.text.slice(0, split.ownEnd))}`, (i) => stand.has(`${i.kind}:${i.value}`));
  }
  // How sure each reported name is: stated by the report, accused in words, or only named (a person confirms those).
  const forward = FORWARD_SUBJECT.test(m.subject);
  indicators = withBasis(indicators, {
    scan: scanOf,
    subject: forward ? '' : m.subject,
    forwardSubject: forward ? m.subject : '',
    rules: settings.rules,
    automated: kind.automated,
    category: cat.category,
    inCopy: (at) => copies.some(([a, b]) => at >= a && at < b),
    stated: (i) => (!stand.has(`${i.kind}:${i.value}`) ? null : spamSent.has(i.value) ? "the mail path names it as the spam's sender" : fields.feed ? 'a row of the feed' : "stated by the report's fields"),
  });
  const notice = checkNotice({ category: cat.category, automated: kind.automated, indicators: indicators.filter((i) => !i.ifKnown), ownText: own, subject: m.subject, from: m.replyTo ?? m.from, goodFaith: settings.rules.goodFaith });
  why.push(notice.exempt ? `notice: not checked (${notice.exempt})` : `notice: ${notice.complete ? 'complete' : `missing ${notice.missing.join(', ')}`}`);
  return { kind, language: lang.language, category: cat.category, priority: prio.priority, priorityWhy: prio.why, indicators, notice, why };
}

/**
 * What is known of a message whose analysis was abandoned (over its time
 * budget, or its thread died): nothing but its sender. It is treated as a
 * complaint from a person, so the reporter is acknowledged, and it goes to a
 * person with the reason. Pure and cheap: it reads no text.
 */
export function unanalysable(settings: TriageSettings, reason: string): Analysis {
  const why = `could not be analysed automatically: ${reason}`;
  return {
    kind: { kind: 'human', isComplaint: true, automated: false, why },
    language: settings.defaultLanguage,
    category: 'other',
    priority: 'high',
    priorityWhy: why,
    indicators: [],
    notice: { complete: true, missing: [], exempt: why },
    why: [why],
    escalate: why,
  };
}

/** A CFBL complaint is the reported message: its sender's domain and the server that sent it. */
function cfblIndicators(m: ParsedMessage, ctx: ExtractContext): Indicator[] {
  const received = (m.headers.received ?? []).map((v) => `Received: ${v}`).join('\n');
  const sources = findSpamSources(received, []).map((s): Indicator => ({ kind: 'ip', value: s.ip, host: s.ip }));
  const sender = m.from ? extractIndicators([m.from.address], { ...ctx, reporterDomains: [] }) : [];
  return [...sources, ...sender];
}

/**
 * Spam source candidates in an attached message, or in headers pasted or
 * forwarded in the body, and the recipient's servers above the first.
 */
function spamSourcesOf(m: ParsedMessage, reporterDomains: readonly string[]): { sources: SpamSource[]; receiving: { ips: Set<string>; domains: Set<string> } } {
  const none = { ips: new Set<string>(), domains: new Set<string>() };
  const found = (text: string): { sources: SpamSource[]; receiving: typeof none } | null => {
    const sources = findSpamSources(text, reporterDomains);
    return sources.length ? { sources, receiving: receivingSide(text, sources[0]!) } : null;
  };
  for (const a of m.attachments.filter((x) => x.text && isAttachedMessage(x))) {
    const inner = innermostMessage(a.text!);
    const got = (inner !== a.text ? found(inner) : null) ?? found(a.text!);
    if (got) return got;
  }
  const text = asWritten(m.text);
  const at = text.search(/^Received: /m);
  return (at >= 0 ? found(text.slice(at)) : null) ?? { sources: [], receiving: none };
}

/**
 * Host names worth a DNS lookup: those of URLs, hosts and e-mail domains that
 * no customer hosts by name (a name registered with us may still sit on
 * another customer's address). Pure.
 */
export function hostsToResolve(a: Analysis, directory: CustomerDirectory): string[] {
  const hosts = new Set<string>();
  for (const ind of a.indicators) {
    if (ind.role === 'context' || ind.kind === 'ip' || ind.kind === 'account' || !ind.host || isAddress(ind.host)) continue;
    if (!directory.hostedBy(ind.host).length) hosts.add(ind.host);
  }
  return [...hosts];
}

/** Matches the indicators (with any DNS answers) and decides the actions. Pure. */
export function conclude(
  a: Analysis,
  m: ParsedMessage,
  directory: CustomerDirectory,
  settings: TriageSettings,
  resolved: ReadonlyMap<string, Resolution> = new Map(),
  learned: readonly LearnedRule[] = [],
): Verdict {
  const why = [...a.why];
  const base = { isComplaint: a.kind.isComplaint, automated: a.kind.automated, mailKind: a.kind.kind, language: a.language, notice: a.notice };
  if (!a.kind.isComplaint) return { ...base, category: a.category, priority: a.priority, targets: [], actions: [], why };

  const reporter = m.replyTo ?? m.from;
  const loose = settings.namedTargets?.notifyCategories.includes(a.category) || (!!reporter && isTrusted(reporter.address, settings.namedTargets?.notifyReporters ?? []));
  // What agents taught the desk about this sender's reports (dismissed or confirmed names at the same place).
  const indicators = applyLearned(a.indicators, learned, reportSource(m));
  for (const i of indicators.filter((x, k) => x !== a.indicators[k])) why.push(`learned: ${i.value}: ${i.role === 'context' ? i.roleWhy : i.basisWhy}`);
  const targets = matchTargets(indicators, directory, resolved).map((t) =>
    // Only named, and a customer's: a person confirms it is what the report is about before the customer hears of it.
    t.role === 'reported' && t.basis === 'named' && t.customerId && !loose ? { ...t, toConfirm: true } : t,
  );
  const reported = targets.filter((t) => t.role === 'reported');
  why.push(`targets: ${targets.length} found (${reported.length} reported), ${reported.filter((t) => t.customerId).length} reported ones matched to a customer`);
  for (const t of targets.filter((x) => x.role === 'context').slice(0, 10)) why.push(`context: ${t.value} (${t.why}): not notified`);
  for (const t of targets.filter((x) => x.resolved)) {
    why.push(`dns: ${t.value} → ${t.resolved!.addresses.join(' ') || t.resolved!.error || 'no address'} at ${t.resolved!.at}`);
  }

  const actions: Action[] = [];
  const isOwn = (address: string): boolean => {
    const domain = domainOf(address);
    return settings.ownDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
  };
  if (a.kind.automated) {
    why.push('acknowledge: no (machine-generated report)');
  } else if (!reporter) {
    why.push('acknowledge: no (no sender address)');
  } else if (NO_REPLY.test(reporter.address) || isOwn(reporter.address)) {
    why.push('acknowledge: no (sender cannot or must not be answered)');
  } else {
    actions.push({ kind: 'acknowledge', to: reporter.address, language: a.language });
  }

  if (a.category === 'csam') {
    actions.push({ kind: 'escalate', reason: 'csam: customers are never notified automatically; a human reviews and reports to the authorities' });
  } else {
    // One notice per customer, listing only the reported targets tied to that customer.
    const perCustomer = new Map<string, string[]>();
    for (const t of reported.filter((x) => !x.toConfirm)) {
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
    const unsure = reported.filter((t) => t.toConfirm);
    if (unsure.length) {
      actions.push({ kind: 'confirm', targets: unsure.map((t) => t.value) });
      why.push(`to confirm: ${unsure.map((t) => `${t.value} (${t.basisWhy ?? 'named'})`).join(', ')}: not notified until a person confirms it is what the report is about`);
    }
    if (a.escalate) actions.push({ kind: 'escalate', reason: a.escalate });
    else if (a.priority === 'urgent') actions.push({ kind: 'escalate', reason: `urgent: ${a.priorityWhy}` });
  }
  if (!reported.some((t) => t.customerId) && a.category !== 'csam') why.push('no customer matched: the case waits for a human');

  return { ...base, category: a.category, priority: a.priority, targets, actions, why };
}

/**
 * Triage of one parsed message: kind, language, category, priority, targets
 * matched to customers, and the actions to take. Pure and deterministic; DNS
 * answers, when used, are looked up beforehand and passed in.
 */
export function decide(
  m: ParsedMessage,
  directory: CustomerDirectory,
  settings: TriageSettings,
  resolved: ReadonlyMap<string, Resolution> = new Map(),
): Verdict {
  return conclude(analyse(m, settings), m, directory, settings, resolved);
}
