import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/schema.ts';

export type Role = 'viewer' | 'agent' | 'admin';
export interface Operator {
  name: string;
  role: Role;
}

const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2 };
export const allows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new token and the config line that lets it in. */
export function newToken(name: string, role: Role): { token: string; line: string } {
  const token = `adk_${randomBytes(24).toString('base64url')}`;
  return { token, line: `- { name: ${name}, role: ${role}, tokenSha256: ${tokenHash(token)} }` };
}

/** Whether a listen address is loopback only (where the API may run without operators). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The operator a request's `Authorization: Bearer …` names, or null. Tokens
 * are compared by their sha256 in constant time; none is stored in clear.
 */
export function authenticate(header: string | undefined, operators: Config['api']['operators']): Operator | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const got = Buffer.from(tokenHash(m[1]!), 'hex');
  let found: Operator | null = null;
  for (const o of operators) {
    if (timingSafeEqual(got, Buffer.from(o.tokenSha256, 'hex'))) found = { name: o.name, role: o.role };
  }
  return found;
}
