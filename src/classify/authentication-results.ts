/**
 * Authentication-Results header fields (RFC 8601), as a receiving MTA
 * writes them:
 *
 *     mx.example.net; spf=pass smtp.mailfrom=shop.test;
 *       dkim=pass (2048-bit key) header.d=shop.test header.s=s1;
 *       dmarc=pass (p=reject) header.from=shop.test
 *
 * Only a field whose authserv-id is our own receiving server's means
 * anything: anyone can write such a field into a message they send, and RFC
 * 8601 (section 5) has a border MTA remove fields carrying its own id. Pure;
 * one pass per field.
 */

export interface AuthResult {
  /** The method, lower case: dkim, spf, dmarc, arc… (a version after "/" is dropped). */
  method: string;
  /** pass, fail, none, neutral, softfail, temperror, permerror, policy… lower case. */
  result: string;
  /** Properties by "ptype.property", lower case keys: header.d, header.from, smtp.mailfrom… */
  props: Record<string, string>;
}

export interface AuthResults {
  /** Who wrote the field, lower case. */
  authservId: string;
  results: AuthResult[];
}

const MAX_FIELD = 8000;

/** The field without comments (nested parentheses), quoted strings kept; linear. */
function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      out += ch;
      if (ch === '\\' && i + 1 < value.length) out += value[++i];
      else if (ch === '"') quoted = false;
    } else if (depth > 0) {
      if (ch === '\\') i++;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
    } else if (ch === '(') {
      depth = 1;
      out += ' ';
    } else {
      if (ch === '"') quoted = true;
      out += ch;
    }
  }
  return out;
}

/** Splits at ";" outside quoted strings. */
function segments(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\' && i + 1 < value.length) {
      cur += ch + value[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const PAIR = /([A-Za-z0-9_./-]{1,64})[ \t\r\n]*=[ \t\r\n]*("(?:[^"\\]|\\.){0,500}"|[^\s;"]{1,500})/g;
const unquote = (v: string): string => (v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);

/** One Authentication-Results field value, or null when it has no authserv-id. */
export function parseAuthenticationResults(value: string): AuthResults | null {
  const [head = '', ...rest] = segments(withoutComments(value.slice(0, MAX_FIELD)));
  const authservId = unquote(head.trim().split(/\s+/)[0] ?? '').toLowerCase();
  if (!authservId) return null;
  const results: AuthResult[] = [];
  for (const seg of rest) {
    const pairs = [...seg.matchAll(PAIR)];
    const [first, ...more] = pairs;
    if (!first) continue;
    const props: Record<string, string> = {};
    for (const p of more) {
      const key = p[1]!.toLowerCase();
      if (key === 'reason' || key.includes('.')) props[key] = unquote(p[2]!);
    }
    results.push({ method: first[1]!.toLowerCase().split('/')[0]!, result: unquote(first[2]!).toLowerCase(), props });
  }
  return { authservId, results };
}

/** The results written by one of `trusted` (our own receiving servers' authserv-ids), from a message's header fields. */
export function trustedAuthResults(fields: readonly string[], trusted: readonly string[]): AuthResult[] {
  if (!trusted.length) return [];
  const ids = new Set(trusted.map((t) => t.toLowerCase()));
  const out: AuthResult[] = [];
  for (const field of fields.slice(0, 50)) {
    const parsed = parseAuthenticationResults(field);
    if (parsed && ids.has(parsed.authservId)) out.push(...parsed.results);
  }
  return out;
}
