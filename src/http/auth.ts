import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { Operator } from '../operators/roles.ts';
import { tokenHash } from '../operators/tokens.ts';

/** Whether a listen address is loopback only (where the API may run without operators). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S{1,500})\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/**
 * The config-defined operator (api.operators) a token belongs to, or null.
 * Tokens are compared by their sha256 in constant time; none is stored in
 * clear. Whether that operator was revoked since is the operator store's to say.
 */
export function configOperator(token: string, operators: readonly Config['api']['operators'][number][]): Operator | null {
  const got = Buffer.from(tokenHash(token), 'hex');
  let found: Operator | null = null;
  for (const o of operators) {
    if (timingSafeEqual(got, Buffer.from(o.tokenSha256, 'hex'))) found = { name: o.name, role: o.role };
  }
  return found;
}
