import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { ActionError } from '../actions/case-status.ts';
import { listByDeadline, SEARCH_KINDS, searchCases, searchKindOf, type ListFilter, type ListPage, type SearchKind } from '../cases/case-lists.ts';
import { CASE_STATUSES } from '../cases/case-vocabulary.ts';
import { CATEGORIES, PRIORITIES } from '../config/category-names.ts';
import type { Config } from '../config/schema.ts';
import { refreshAllDeadlines } from '../ops/sla-deadlines.ts';
import { allows, type Operator, type Role } from '../operators/roles.ts';

export interface ListDeps {
  pool: pg.Pool;
  /** The SLA policy the stored deadlines are re-derived with (without it they are read as stored). */
  sla?: Config['sla'];
  refPrefix: string;
}

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const;
const listed = {
  type: 'object',
  properties: {
    total: { type: 'integer' },
    more: { type: 'boolean' },
    next: { type: ['string', 'null'] },
    kind: { type: 'string' },
    cases: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...CASE_STATUSES] },
    priority: { type: 'string', enum: [...PRIORITIES] },
    category: { type: 'string', enum: [...CATEGORIES] },
    customer: { type: 'string', maxLength: 200 },
    campaign: { type: 'string', pattern: '^\\d{1,19}$' },
    due: { type: 'string', enum: ['breached', 'due'] },
    owner: { type: 'string', maxLength: 64, description: 'an operator, "me", or "-" for unassigned cases' },
    after: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 500 },
  },
} as const;

export const searchQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['q'],
  properties: {
    q: { type: 'string', minLength: 1, maxLength: 500 },
    kind: { type: 'string', enum: ['auto', ...SEARCH_KINDS] },
    after: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 500 },
  },
} as const;

/** The open cases by deadline, stored deadlines brought up to date first (changes made a moment ago are re-derived). */
export async function deadlineList(d: ListDeps, f: ListFilter & { after?: string; limit?: number }): Promise<ListPage> {
  if (d.sla) await refreshAllDeadlines(d.pool, d.sla, 5, { wait: true });
  return listByDeadline(d.pool, { ...f, customer: f.customer?.trim() || undefined, limit: f.limit ?? 200 });
}

/**
 * A search as this role may make it: a reporter's address only by agents
 * (it is matched on its hash; a viewer cannot learn who reported what).
 */
export async function search(d: ListDeps, role: Role, s: { q: string; kind?: SearchKind | 'auto'; after?: string; limit?: number }): Promise<ListPage & { kind: SearchKind }> {
  const kind = !s.kind || s.kind === 'auto' ? searchKindOf(s.q, d.refPrefix) : s.kind;
  if (kind === 'reporter' && !allows(role, 'agent')) throw new ActionError('searching by a reporter’s address is for agents', 400);
  return searchCases(d.pool, { q: s.q, kind, after: s.after, limit: s.limit ?? 50 });
}

/** The work queue and search, in the JSON API. */
export function registerListRoutes(app: FastifyInstance, d: ListDeps): void {
  app.get(
    '/api/queue',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Cases by nearest deadline (open ones unless a finished status is asked), most overdue first; keyset pages (after = the previous page’s next), counted up to 1,000',
        tags: ['cases'],
        security: [{ bearer: [] }],
        querystring: listQuery,
        response: { 200: listed, 400: error, 401: error, 403: error },
      },
    },
    async (req) => {
      const q = req.query as ListFilter & { after?: string; limit?: number };
      return deadlineList(d, { ...q, owner: q.owner === 'me' ? (req.operator as Operator).name : q.owner });
    },
  );
  app.get(
    '/api/search',
    {
      config: { access: 'viewer' },
      schema: {
        summary:
          'Cases over every status by reference, target (exact or domain suffix), customer, reporter address (agents; matched on its hash), Message-ID or words of the reports (English and French full-text search); kind=auto guesses which',
        tags: ['cases'],
        security: [{ bearer: [] }],
        querystring: searchQuery,
        response: { 200: listed, 400: error, 401: error, 403: error },
      },
    },
    async (req) => search(d, (req.operator as Operator).role, req.query as { q: string; kind?: SearchKind | 'auto'; after?: string; limit?: number }),
  );
}
