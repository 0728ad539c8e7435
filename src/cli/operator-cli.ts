import type { Config } from '../config/schema.ts';
import { openCaseDb } from '../cases/case-db.ts';
import { OperatorError, OperatorStore } from '../operators/operator-store.ts';
import { ROLES, type Role } from '../operators/roles.ts';

const USAGE = `abuse-desk operator add NAME viewer|agent|admin   a new operator; prints their token (shown once)
abuse-desk operator list [--json]                  every operator: role, where defined, live tokens and sessions
abuse-desk operator revoke NAME                    their tokens and board sessions end now (also one of api.operators)
abuse-desk operator rotate NAME                    a new token; the old one and every session end now`;

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * `abuse-desk operator …`: the people who work the desk, in the case store.
 * Every API process reads them on each request, so a change takes effect at
 * once, with no restart.
 */
export async function operatorCommand(args: string[], config: Readonly<Config>, json: boolean): Promise<number> {
  const [action, name, role] = args;
  if (!action || (action !== 'list' && (!name || !NAME.test(name)))) return usage();
  const pool = await openCaseDb(config.cases);
  const store = new OperatorStore(pool);
  const configured = config.api.operators;
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  try {
    switch (action) {
      case 'add': {
        if (!ROLES.includes(role as Role)) return usage('the role is viewer, agent or admin');
        const token = await store.add(name!, role as Role, configured.map((o) => o.name));
        out(`operator ${name} (${role}) added. Their token, shown once (only its sha256 is kept):\n${token}`);
        return 0;
      }
      case 'list': {
        const stored = await store.list();
        const rows = [
          ...configured
            .filter((c) => !stored.some((s) => s.name === c.name))
            .map(async (c) => ({ name: c.name, role: c.role, source: 'config', createdAt: null, revokedAt: null, tokens: 1, sessions: await store.sessionsOf(c.name) })),
          ...stored.map(async (s) => s),
        ];
        const all = (await Promise.all(rows)).sort((a, b) => a.name.localeCompare(b.name));
        if (json) for (const r of all) out(JSON.stringify(r));
        else {
          out(`${'name'.padEnd(20)} ${'role'.padEnd(7)} ${'defined in'.padEnd(11)} ${'state'.padEnd(28)} tokens sessions`);
          for (const r of all) {
            const state = r.revokedAt ? `revoked ${r.revokedAt.toISOString().slice(0, 16)}Z` : 'active';
            out(`${r.name.padEnd(20)} ${r.role.padEnd(7)} ${(r.source === 'config' ? 'api.operators' : 'case store').padEnd(11)} ${state.padEnd(28)} ${String(r.tokens).padStart(6)} ${String(r.sessions).padStart(8)}`);
          }
        }
        return 0;
      }
      case 'revoke': {
        const fromConfig = configured.find((o) => o.name === name);
        const ended = await store.revoke(name!, fromConfig ? { role: fromConfig.role } : null);
        out(`operator ${name} revoked: ${fromConfig ? 'their api.operators token' : `${ended.tokens} token(s)`} and ${ended.sessions} board session(s) ended now${fromConfig ? '; remove their entry from api.operators at your next config change' : ''}`);
        return 0;
      }
      case 'rotate': {
        if (configured.some((o) => o.name === name)) return usage(`${name} is defined in api.operators: make a new line with \`abuse-desk api token ${name} ROLE\`, or move them to the case store (operator revoke, then operator add under a new name)`);
        const token = await store.rotate(name!);
        out(`operator ${name}: new token, shown once (the old one and every session ended now):\n${token}`);
        return 0;
      }
      default:
        return usage(`unknown action "${action}"`);
    }
  } catch (err) {
    if (err instanceof OperatorError) {
      process.stderr.write(`abuse-desk operator: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await pool.end();
  }
}

function usage(why?: string): number {
  process.stderr.write(`${why ? `abuse-desk operator: ${why}\n` : ''}usage:\n${USAGE}\n`);
  return 2;
}
