import { createHash } from 'node:crypto';

// Crockford base32: no I, L, O, U, so a reference survives being read aloud or retyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Case reference derived from the message key, e.g. AD-7K2M9QF4XA: the same complaint always gets the same one. */
export function caseRefFor(prefix: string, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHABET[digest[i]! & 31];
  return `${prefix}-${out}`;
}
