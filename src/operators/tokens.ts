import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './roles.ts';

/** The hex sha256 a token is stored as (nowhere in clear). */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new operator token: 192 random bits. */
export const newTokenValue = (): string => `adk_${randomBytes(24).toString('base64url')}`;

/** A new token and the api.operators line that lets it in (config-defined operators, for bootstrapping). */
export function newToken(name: string, role: Role): { token: string; line: string } {
  const token = newTokenValue();
  return { token, line: `- { name: ${name}, role: ${role}, tokenSha256: ${tokenHash(token)} }` };
}
