import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { CaseActions } from '../actions/case-actions.ts';
import { ActionError } from '../actions/case-status.ts';
import { listLearnedRules, removeLearnedRule } from '../cases/learned-rules.ts';
import type { Operator, Role } from '../operators/roles.ts';
import { refParam } from './action-bodies.ts';

/*
 * Targets a person confirms or dismisses, and the rules the desk learned
 * from them (docs/triage.md, "How sure"). Agents only: a learned rule's
 * shape is a line of a report.
 */

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const;

export const targetBody = {
  type: 'object',
  additionalProperties: false,
  required: ['verdict'],
  properties: {
    verdict: { type: 'string', enum: ['confirm', 'dismiss'], description: 'confirm: it is what the report is about; dismiss: it is not' },
    reason: { type: 'string', maxLength: 2000 },
  },
} as const;

/** A learned rule's id, as routes take it. */
export const ruleIdParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^\\d{1,18}$' } } } as const;

export interface TargetDeps {
  pool: pg.Pool;
  actions: CaseActions;
}

/** Confirms or dismisses a case's target, as the API and the board ask it. */
export async function correctTarget(actions: CaseActions, ref: string, actor: string, verdict: 'confirm' | 'dismiss', reason = ''): Promise<{ ref: string; status: string; mails: string[]; learned: number }> {
  return verdict === 'confirm' ? actions.confirmTarget(ref, actor) : actions.dismissTarget(ref, actor, reason);
}

export function registerTargetRoutes(app: FastifyInstance, d: TargetDeps): void {
  app.post(
    '/api/cases/:ref/target',
    {
      config: { access: 'agent' as Role },
      schema: {
        summary: "Confirm the case's target (the category's policy applies: a notify case's held notice goes out) or dismiss it (the case is resolved, its held notice never goes); either is learned for the same senders' reports",
        tags: ['actions'],
        security: [{ bearer: [] }],
        params: refParam,
        body: targetBody,
        response: { 200: { type: 'object', additionalProperties: true }, 400: error, 401: error, 403: error, 404: error, 409: error },
      },
    },
    async (req) => {
      const b = req.body as { verdict: 'confirm' | 'dismiss'; reason?: string };
      return correctTarget(d.actions, (req.params as { ref: string }).ref, (req.operator as Operator).name, b.verdict, b.reason);
    },
  );
  app.get(
    '/api/learned-rules',
    {
      config: { access: 'agent' as Role },
      schema: {
        summary: 'The target rules learned from agents\' corrections, newest first: sender, place, name, verdict, the case it came from',
        tags: ['triage'],
        security: [{ bearer: [] }],
        response: { 200: { type: 'object', properties: { rules: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, 401: error, 403: error },
      },
    },
    async () => ({ rules: await listLearnedRules(d.pool) }),
  );
  app.delete(
    '/api/learned-rules/:id',
    {
      config: { access: 'agent' as Role },
      schema: {
        summary: 'Remove a learned rule: the sender\'s later reports are read without it',
        tags: ['triage'],
        security: [{ bearer: [] }],
        params: ruleIdParam,
        response: { 200: { type: 'object', properties: { removed: { type: 'string' } } }, 401: error, 403: error, 404: error },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      if (!(await removeLearnedRule(d.pool, id, (req.operator as Operator).name))) throw new ActionError(`no learned rule ${id}`, 404);
      return { removed: id };
    },
  );
}
