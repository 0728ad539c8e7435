import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ParsedMessage } from '../parse/parsed-message.ts';

/** What a JSON X-ARF report states: v4 (validated against the XARF schema) or the older JSON layouts. */
export interface XarfJson {
  version: '4' | 'legacy';
  /** v4: "category/type" (e.g. "content/phishing"); legacy: the ReportType (e.g. "malware"). */
  kind: string | null;
  /** Reported things: source_identifier, url, domain (v4); Source, SourceIp, SourceUrl (legacy). */
  sources: string[];
  /** Why the report was read the way it was: schema errors, or repairs. */
  notes: string[];
}

// The schema is vendored under config/schemas (MIT, with its licence).
const SCHEMA = new URL('../../config/schemas/xarf-v4/xarf-core.json', import.meta.url);
let validator: ValidateFunction | null = null;
function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
  }
  return validator;
}

const MAX_JSON_CHARS = 256 * 1024;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

function looksLikeXarf(text: string): boolean {
  return /"xarf_version"\s*:|"ReporterInfo"\s*:|"ReportClass"\s*:|"ReportType"\s*:/.test(text.slice(0, 4096));
}

function fromV4(doc: Record<string, unknown>): XarfJson {
  const check = validate();
  const notes = check(doc) ? ['valid against the XARF v4 schema'] : [`not valid against the XARF v4 schema: ${(check.errors ?? []).slice(0, 2).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ')}`];
  const category = str(doc.category)?.toLowerCase();
  const type = str(doc.type)?.toLowerCase().replace(/-/g, '_');
  return {
    version: '4',
    kind: category ? (type ? `${category}/${type}` : category) : null,
    sources: [doc.source_identifier, doc.url, doc.domain].map(str).filter((s): s is string => s !== null),
    notes,
  };
}

function fromLegacy(doc: Record<string, unknown>): XarfJson {
  const report = (typeof doc.Report === 'object' && doc.Report ? doc.Report : doc) as Record<string, unknown>;
  return {
    version: 'legacy',
    kind: str(report.ReportType)?.toLowerCase() ?? null,
    sources: [report.SourceIp, report.Source, report.SourceUrl, report.Url, report.Domain].map(str).filter((s): s is string => s !== null),
    notes: [`XARF JSON version ${str(doc.Version) ?? 'unknown'} (pre-v4 layout, no schema)`],
  };
}

// Senders do ship JSON with a missing comma: read the fields one by one.
function repaired(text: string, error: string): XarfJson {
  const field = (names: string): string[] => [...text.matchAll(new RegExp(`"(?:${names})"\\s*:\\s*"([^"\\n]{1,2000})"`, 'g'))].map((m) => m[1]!);
  const v4 = /"xarf_version"/.test(text);
  const kind = v4 ? [field('category')[0], field('type')[0]].filter(Boolean).join('/') || null : (field('ReportType')[0]?.toLowerCase() ?? null);
  return {
    version: v4 ? '4' : 'legacy',
    kind: kind?.toLowerCase() ?? null,
    sources: v4 ? field('source_identifier|url|domain') : field('SourceIp|Source|SourceUrl|Url|Domain'),
    notes: [`not valid JSON (${error}); fields read one by one`],
  };
}

/** The JSON X-ARF report attached to (or forming the body of) a message, or null. Pure. */
export function readXarfJson(m: ParsedMessage): XarfJson | null {
  const candidates = [...m.attachments.filter((a) => a.text && (a.contentType === 'application/json' || /\.json$/i.test(a.filename ?? ''))).map((a) => a.text!), m.text];
  const text = candidates.find((t) => looksLikeXarf(t))?.slice(0, MAX_JSON_CHARS);
  if (!text) return null;
  const start = text.indexOf('{');
  const body = text.slice(start, text.lastIndexOf('}') + 1);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return repaired(body, (err as Error).message.slice(0, 80));
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const record = doc as Record<string, unknown>;
  return 'xarf_version' in record ? fromV4(record) : fromLegacy(record);
}
