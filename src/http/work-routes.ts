import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActionResult, CaseActions } from '../actions/case-actions.ts';
import { ActionError, type Resolution } from '../actions/case-status.ts';
import { OUTCOMES, type Outcome } from '../cases/case-vocabulary.ts';
import type { Operator, Role } from '../operators/roles.ts';
import { refParam } from './action-bodies.ts';

export interface WorkDeps {
  actions: CaseActions;
  /** Whether a name is a live operator's (config or store), for assigning cases. */
  isOperator: (name: string) => Promise<boolean>;
}

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const;
const REF = '^[A-Z]{1,6}-\\d{4}-\\d{6,}$';

export const ownerBody = {
  type: 'object',
  additionalProperties: false,
  required: ['owner'],
  properties: { owner: { type: ['string', 'null'], minLength: 1, maxLength: 64, description: 'an operator, "me" to take the case, or null to leave it unassigned' } },
} as const;

export const BULK_ACTIONS = ['release', 'withhold', 'resolve', 'assign', 'merge'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const bulkBody = {
  type: 'object',
  additionalProperties: false,
  required: ['refs', 'action'],
  properties: {
    refs: { type: 'array', minItems: 1, maxItems: 500, uniqueItems: true, items: { type: 'string', pattern: REF } },
    action: { type: 'string', enum: [...BULK_ACTIONS] },
    outcome: { type: 'string', enum: [...OUTCOMES] },
    reason: { type: 'string', maxLength: 2000 },
    ground: { type: 'string', maxLength: 2000 },
    owner: { type: ['string', 'null'], maxLength: 64 },
    into: { type: 'string', pattern: REF },
  },
} as const;

export interface BulkRequest {
  refs: string[];
  action: BulkAction;
  outcome?: Outcome;
  reason?: string;
  ground?: string;
  owner?: string | null;
  into?: string;
}

/** What one case of a bulk action came to. */
export interface BulkItem {
  ref: string;
  ok: boolean;
  status?: string;
  mails?: string[];
  error?: string;
}

/** The owner a request names: "me" is the caller; anyone else must be a live operator. */
async function ownerOf(d: WorkDeps, req: FastifyRequest, owner: string | null | undefined): Promise<string | null> {
  if (owner === null || owner === undefined || owner === '') return null;
  const name = owner === 'me' ? (req.operator as Operator).name : owner.trim();
  if (name !== (req.operator as Operator).name && !(await d.isOperator(name))) throw new ActionError(`no operator ${name}`, 400);
  return name;
}

/**
 * Acts on a selection. Resolving is all or none, and tells each reporter
 * once (CaseActions.resolveMany); the other actions go case by case and say
 * which were done and why any was not.
 */
export async function runBulk(d: WorkDeps, req: FastifyRequest, b: BulkRequest): Promise<BulkItem[]> {
  const actor = (req.operator as Operator).name;
  if (b.action === 'resolve') {
    if (!b.outcome) throw new ActionError('resolving needs an outcome', 400);
    const done = await d.actions.resolveMany(b.refs, actor, b.outcome, { reason: b.reason, ground: b.ground } as Resolution);
    return done.map((r) => ({ ref: r.ref, ok: true, status: r.status, mails: r.mails }));
  }
  const owner = b.action === 'assign' ? await ownerOf(d, req, b.owner) : null;
  if (b.action === 'withhold' && !b.reason?.trim()) throw new ActionError('say why the notices are withheld', 400);
  if (b.action === 'merge' && !b.into) throw new ActionError('merging needs the case to merge into (into)', 400);
  const one = (ref: string): Promise<ActionResult> => {
    switch (b.action) {
      case 'release':
        return d.actions.release(ref, actor);
      case 'withhold':
        return d.actions.withhold(ref, actor, b.reason!);
      case 'assign':
        return d.actions.setOwner(ref, actor, owner);
      default:
        return d.actions.merge(ref, b.into!, actor);
    }
  };
  const out: BulkItem[] = [];
  for (const ref of b.refs.filter((r) => !(b.action === 'merge' && r === b.into))) {
    try {
      const r = await one(ref);
      out.push({ ref, ok: true, status: r.status, mails: r.mails });
    } catch (err) {
      if (!(err instanceof ActionError)) throw err;
      out.push({ ref, ok: false, error: err.message });
    }
  }
  return out;
}

/** Owners and bulk actions in the JSON API (agents). */
export function registerWorkRoutes(app: FastifyInstance, d: WorkDeps): void {
  app.post(
    '/api/cases/:ref/owner',
    {
      config: { access: 'agent' as Role },
      schema: {
        summary: 'Take the case ("me"), give it to an operator, or leave it unassigned (null)',
        tags: ['actions'],
        security: [{ bearer: [] }],
        params: refParam,
        body: ownerBody,
        response: { 200: { type: 'object', additionalProperties: true }, 400: error, 401: error, 403: error, 404: error },
      },
    },
    async (req) => d.actions.setOwner((req.params as { ref: string }).ref, (req.operator as Operator).name, await ownerOf(d, req, (req.body as { owner: string | null }).owner)),
  );
  app.post(
    '/api/bulk',
    {
      config: { access: 'agent' as Role },
      schema: {
        summary: 'One action on many cases: release, withhold (reason), resolve (outcome; all or none, each reporter told once), assign (owner), merge (into)',
        tags: ['actions'],
        security: [{ bearer: [] }],
        body: bulkBody,
        response: { 200: { type: 'object', properties: { results: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, 400: error, 401: error, 403: error, 404: error, 409: error },
      },
    },
    async (req) => ({ results: await runBulk(d, req, req.body as BulkRequest) }),
  );
}
