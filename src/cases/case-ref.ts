import { createHash } from 'node:crypto';

// Crockford base32: no I, L, O, U, so a reference survives being read aloud or retyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A report's reference derived from its message key, e.g. AD-7K2M9QF4XA:
 * the same complaint always gets the same one (the acknowledgement quotes it).
 */
export function reportRefFor(prefix: string, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHABET[digest[i]! & 31];
  return `${prefix}-${out}`;
}

/**
 * The SQL that numbers a new case, AD-2026-000123: `prefix` and `at` are SQL
 * expressions (a parameter, a column), the number the next of case_number_seq.
 * The one place a case reference is made.
 */
export const nextCaseRefSql = (prefix: string, at: string): string => `${prefix} || '-' || to_char(${at}, 'YYYY') || '-' || lpad(nextval('case_number_seq')::text, 6, '0')`;
