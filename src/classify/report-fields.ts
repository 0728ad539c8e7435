import type { ParsedMessage } from '../parse/parsed-message.ts';
import { readFeed, type Feed } from './feed-events.ts';
import { readSpamCop, spamcopSite } from './spamcop.ts';
import { readXarfJson } from './xarf-json.ts';

/** Structured facts stated by a machine report (ARF, X-ARF YAML or JSON, SpamCop, CSV feed). */
export interface ReportFields {
  format: 'arf' | 'xarf' | 'xarf4' | 'xarf-json' | 'spamcop' | 'feed' | null;
  /** ARF Feedback-Type (abuse, fraud, virus, other, not-spam, auth-failure). */
  feedbackType: string | null;
  /** X-ARF Category and Report-Type (e.g. abuse / login-attack, fraud / phishing). */
  category: string | null;
  reportType: string | null;
  /** Reported things, as the report states them (Source-IP, Source, Reported-Domain, Reported-URI, Domain). */
  sources: string[];
  /** Who received the reported message (ARF Original-Rcpt-To, Removal-Recipient): the complainant's side, never accused. */
  recipients: string[];
  /** XARF v4 "category/type", or a legacy JSON ReportType. */
  xarfKind: string | null;
  /** The events of a CSV feed; its addresses are the targets. */
  feed: Feed | null;
  /** How the report was read (schema validation, repairs), for the decision's why. */
  notes: string[];
}

const NONE = { feedbackType: null, category: null, reportType: null, sources: [], recipients: [], xarfKind: null, feed: null, notes: [] };

/** Parses "Key: value" lines (RFC 822-style or X-ARF YAML), folding continuation lines. */
export function parseFieldBlock(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let last: string[] | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]+\S/.test(line) && last) {
      last[last.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]*(.*)$/.exec(line);
    if (!m) {
      last = null;
      continue;
    }
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim().replace(/^["']|["']$/g, '');
    last = fields.get(key) ?? [];
    last.push(value);
    fields.set(key, last);
  }
  return fields;
}

const one = (f: Map<string, string[]>, k: string): string | null => f.get(k)?.[0]?.toLowerCase() ?? null;

/** Reads the structured part of an ARF or X-ARF report, if the message has one. */
export function readReportFields(m: ParsedMessage): ReportFields {
  const arf = m.attachments.find((a) => a.contentType === 'message/feedback-report' && a.text);
  if (arf?.text) {
    const f = parseFieldBlock(arf.text);
    return {
      ...NONE,
      format: 'arf',
      feedbackType: one(f, 'feedback-type'),
      // SpamCop's ARF names the spam's source even when its text says the report is about the site the spam advertises.
      sources: spamcopSite(m) ?? [...(f.get('source-ip') ?? []), ...(f.get('reported-domain') ?? []), ...(f.get('reported-uri') ?? [])],
      recipients: [...(f.get('original-rcpt-to') ?? []), ...(f.get('removal-recipient') ?? [])],
    };
  }
  // X-ARF puts its YAML report in a report.txt part, or (0.1 plain) in the body.
  const xarfText = [...m.attachments.map((a) => a.text ?? ''), m.text].find((t) => /^(Reported-From|Report-Type):/im.test(t) && /^Category:/im.test(t));
  if (xarfText) {
    const f = parseFieldBlock(xarfText);
    return {
      ...NONE,
      format: 'xarf',
      category: one(f, 'category'),
      reportType: one(f, 'report-type'),
      sources: [...(f.get('source') ?? []), ...(f.get('domain') ?? [])].filter((s) => s && !/^(none|-)$/i.test(s)),
    };
  }
  const json = readXarfJson(m);
  if (json) return { ...NONE, format: json.version === '4' ? 'xarf4' : 'xarf-json', xarfKind: json.kind, sources: json.sources, notes: json.notes };
  const spamcop = readSpamCop(m);
  if (spamcop) return { ...NONE, format: 'spamcop', sources: [spamcop], notes: [`SpamCop report about ${spamcop.startsWith('http') ? 'a spamvertised site' : "the spam's source"}`] };
  const feed = readFeed(m);
  if (feed) {
    const note = `feed ${feed.name}: ${feed.rows} rows, ${feed.addresses.length} addresses in column "${feed.column}"${feed.truncated ? ' (cut: more rows than were read)' : ''}`;
    return { ...NONE, format: 'feed', reportType: feed.name.toLowerCase(), feed, notes: [note] };
  }
  return { ...NONE, format: null };
}
