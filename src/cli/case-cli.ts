import { userInfo } from 'node:os';
import type { Runtime } from '../runtime.ts';
import { openActions } from '../http/start-api.ts';
import type { Role } from '../operators/roles.ts';
import { newToken } from '../operators/tokens.ts';
import { ActionError } from '../actions/case-status.ts';
import { FLAGS, GROUND_TYPES, OUTCOMES, RESTRICTIONS, SETTABLE_STATUSES, type CaseFlag, type GroundType, type Outcome, type Restriction, type SettableStatus } from '../cases/case-vocabulary.ts';

const USAGE = `abuse-desk case note REF TEXT
abuse-desk case status REF open|awaiting_review|waiting_customer|customer_answered|resolved [OUTCOME] [--reason TEXT] [--ground TEXT]
    [--ground-type ${GROUND_TYPES.join('|')}] [--restriction ${RESTRICTIONS.join('|')}]
    OUTCOME (with resolved): ${OUTCOMES.join(', ')}; action_taken against a customer needs --ground (the law or terms invoked)
abuse-desk case release REF
abuse-desk case confirm-target REF         the target is what the report is about (its held notice goes out under the notify policy)
abuse-desk case dismiss-target REF [REASON]   it is not: the case is resolved, its held notice withdrawn (both learned for the sender)
abuse-desk case withhold REF REASON
abuse-desk case escalate REF REASON
abuse-desk case flag REF ${FLAGS.join('|')} [--off]
abuse-desk case merge REF INTO_REF
abuse-desk case split REF TARGET MSG-KEY…    move those reports into a new case about TARGET
abuse-desk case unfounded REF Rn [--off]   reporter Rn sends manifestly unfounded notices (warned once, then low priority)
  --as NAME   the operator named in the history (default: cli:<login>)`;

export interface CaseCliOptions {
  as?: string;
  ground?: string;
  groundType?: string;
  restriction?: string;
  reason?: string;
  off?: boolean;
}

/** `abuse-desk case ACTION REF …`: the same actions as the HTTP API. */
export async function caseCommand(args: string[], o: CaseCliOptions, rt: Runtime): Promise<number> {
  const [action, ref, ...rest] = args;
  if (!action || !ref) return usage();
  const actor = o.as ?? `cli:${userInfo().username}`;
  const opened = await openActions(rt);
  try {
    const a = opened.actions;
    let result;
    switch (action) {
      case 'note':
        result = await a.note(ref, actor, rest.join(' '));
        break;
      case 'status': {
        const [status, outcome] = rest;
        if (!SETTABLE_STATUSES.includes(status as SettableStatus)) return usage(`unknown status "${status ?? ''}"`);
        if (outcome && !OUTCOMES.includes(outcome as Outcome)) return usage(`unknown outcome "${outcome}"`);
        if (o.groundType && !GROUND_TYPES.includes(o.groundType as GroundType)) return usage(`--ground-type is ${GROUND_TYPES.join(' or ')}`);
        if (o.restriction && !RESTRICTIONS.includes(o.restriction as Restriction)) return usage(`--restriction is one of ${RESTRICTIONS.join(', ')}`);
        result = await a.setStatus(ref, actor, status as SettableStatus, outcome as Outcome | undefined, {
          reason: o.reason,
          ground: o.ground,
          groundType: o.groundType as GroundType | undefined,
          restriction: o.restriction as Restriction | undefined,
        });
        break;
      }
      case 'release':
        result = await a.release(ref, actor);
        break;
      case 'confirm-target':
        result = await a.confirmTarget(ref, actor);
        break;
      case 'dismiss-target':
        result = await a.dismissTarget(ref, actor, rest.join(' '));
        break;
      case 'withhold':
        result = await a.withhold(ref, actor, rest.join(' ') || o.reason || '');
        break;
      case 'escalate':
        result = await a.escalate(ref, actor, rest.join(' ') || o.reason || '');
        break;
      case 'flag':
        if (!FLAGS.includes(rest[0] as CaseFlag)) return usage(`unknown flag "${rest[0] ?? ''}"`);
        result = await a.flag(ref, actor, rest[0] as CaseFlag, !o.off);
        break;
      case 'split': {
        const [target, ...keys] = rest;
        if (!target || !keys.length) return usage('split needs the new target and the message keys of the reports to move');
        const r = await a.split(ref, keys, target, actor);
        process.stdout.write(`${r.ref}: ${keys.length} report(s) moved to ${r.newRef} (${target})\n`);
        return 0;
      }
      case 'unfounded': {
        const n = /^R?(\d+)$/i.exec(rest[0] ?? '');
        if (!n) return usage('say which reporter, as cases show numbers them: R1, R2…');
        result = await a.markReporter(ref, Number(n[1]), actor, !o.off);
        break;
      }
      case 'merge':
        if (!rest[0]) return usage('say which case to merge into');
        result = await a.merge(ref, rest[0], actor);
        break;
      default:
        return usage(`unknown action "${action}"`);
    }
    process.stdout.write(`${result.ref}: ${result.status}${result.mails.length ? `; queued ${result.mails.join(', ')}` : ''}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ActionError) {
      process.stderr.write(`abuse-desk: ${err.message}\n`);
      return err.status === 404 ? 1 : 65;
    }
    throw err;
  } finally {
    await opened.close();
  }
}

/** `abuse-desk api token NAME ROLE`. */
export function tokenCommand(name: string | undefined, role: string | undefined): number {
  if (!name || !['viewer', 'agent', 'admin'].includes(role ?? '')) {
    process.stderr.write('usage: abuse-desk api token NAME viewer|agent|admin\n');
    return 2;
  }
  const t = newToken(name, role as Role);
  process.stdout.write(`token (give it to ${name}; it is not stored): ${t.token}\nadd under api.operators:\n  ${t.line}\n`);
  return 0;
}

function usage(why?: string): number {
  process.stderr.write(`${why ? `abuse-desk case: ${why}\n` : ''}usage:\n${USAGE}\n`);
  return 2;
}
