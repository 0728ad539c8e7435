import { parse } from 'yaml';
import type { Role } from '../../src/operators/roles.ts';
import { newToken } from '../../src/operators/tokens.ts';

/**
 * A new operator token and its entry for api.operators, read back from the
 * config line `abuse-desk api token` prints (so that line is what the tests use).
 */
export function operator(name: string, role: Role): { token: string; entry: { name: string; role: Role; tokenSha256: string } } {
  const { token, line } = newToken(name, role);
  const [entry] = parse(line) as Array<{ name: string; role: Role; tokenSha256: string }>;
  return { token, entry: entry! };
}
