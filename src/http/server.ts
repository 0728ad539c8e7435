import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Redis } from 'ioredis';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type pg from 'pg';
import { CATEGORIES, PRIORITIES } from '../config/category-names.ts';
import { listCases, showCase } from '../cases/case-queries.ts';
import type { Config } from '../config/schema.ts';
import type { CaseActions } from '../actions/case-actions.ts';
import { ActionError, type Resolution } from '../actions/case-status.ts';
import { CASE_STATUSES, type FLAGS, type OUTCOMES, type SETTABLE_STATUSES } from '../cases/case-vocabulary.ts';
import type { Logger } from '../log.ts';
import { deskState, readiness, type DeskProbes } from '../ops/desk-state.ts';
import { DeskCounters } from '../ops/desk-counters.ts';
import { createMetrics } from '../ops/metrics.ts';
import { PendingAcks } from '../ops/pending-acks.ts';
import { slaFindings } from '../ops/sla.ts';
import { openCasesForSla } from '../ops/sla-scanner.ts';
import type { Queues } from '../queue/queues.ts';
import { registerBoard, type SignInPage } from './board/board-routes.ts';
import { registerListRoutes } from './list-routes.ts';
import { registerWorkRoutes } from './work-routes.ts';
import { registerTargetRoutes } from './target-routes.ts';
import { noticeEdits, registerReadingRoutes, type ComposeText } from './case-reading-routes.ts';
import type { NoticeEdits } from '../actions/held-notice.ts';
import { OperatorStore } from '../operators/operator-store.ts';
import { allows, type Operator, type Role } from '../operators/roles.ts';
import { registerAccess, type RouteAccess } from './access.ts';
import { flagBody, mergeBody, noteBody, reasonBody, refParam, statusBody } from './action-bodies.ts';
import { isLoopback } from './auth.ts';
import { Identify } from './identify.ts';
import { QUEUE_BOARD_HEADERS, SECURITY_HEADERS } from './security-headers.ts';
import { signInLimits } from './sign-in-limits.ts';

export interface ApiDeps {
  pool: pg.Pool;
  actions: CaseActions;
  api: Config['api'];
  /** api.operators as they are now, when they can change while running (SIGHUP); else api.operators. */
  operators?: () => readonly Config['api']['operators'][number][];
  logger: Logger;
  /** Queues and their Redis connection: metrics, readiness and the queue board. */
  ops?: { queues: Queues; redis: Redis; prefix: string };
  /** The SLA policy, for its gauges in /metrics and the case board's deadlines (no board without it). */
  sla?: Config['sla'];
  /** The desk's name, on the board's pages. */
  deskName?: string;
  /** A poller that has not checked the mailbox for this long is disconnected (ops.pollerStaleSec). */
  pollerStaleSec?: number;
  /** What /readyz checks beyond Redis and PostgreSQL (the IMAP session, the SMTP relay). */
  probes?: DeskProbes;
  /** The customer directory this process holds, for its size and age in /metrics. */
  directory?: () => { counts: Record<string, number>; loadedAt: number; failedReloads: number };
  /** The desk's templates, to show a held notice as it will be sent. */
  compose?: ComposeText;
  /** desk.caseRefPrefix: what a search box reads as a case reference. */
  refPrefix?: string;
}

/** Where bull-board is mounted (admins only: it can retry and remove jobs). */
export const QUEUE_BOARD_PATH = '/ops/queues';

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const;
const actionResult = {
  type: 'object',
  properties: { ref: { type: 'string' }, status: { type: 'string' }, mails: { type: 'array', items: { type: 'string' } } },
  required: ['ref', 'status', 'mails'],
} as const;
const caseRow = {
  type: 'object',
  additionalProperties: true,
  properties: {
    ref: { type: 'string' }, status: { type: 'string' }, priority: { type: 'string' }, category: { type: 'string' },
    customer: { type: ['string', 'null'] }, target: { type: 'string' }, targetType: { type: 'string' }, policy: { type: 'string' },
    reports: { type: 'integer' }, reporters: { type: 'integer' }, campaign: { type: ['string', 'null'] },
    campaignReports: { type: ['integer', 'null'] }, firstSeen: { type: 'string' }, lastSeen: { type: 'string' },
    closedAt: { type: ['string', 'null'] }, outcome: { type: ['string', 'null'] },
  },
} as const;
const errors = { 400: error, 401: error, 403: error, 404: error, 409: error } as const;
/** The options of an action route: agents only, the case in the path, an action result (or `result`) back. */
const action = (summary: string, body: object | null, more: { params?: object; result?: object } = {}) => ({
  config: { access: 'agent' as Role },
  schema: {
    summary,
    tags: ['actions'],
    security: [{ bearer: [] }],
    params: more.params ?? refParam,
    ...(body ? { body } : {}),
    response: { 200: more.result ?? actionResult, ...errors },
  },
});

/**
 * The HTTP API for people working cases: JSON in and out, a schema on every
 * route (requests are validated, responses serialised through them), the
 * OpenAPI document generated from those schemas at /api/openapi.json.
 */
export async function buildApi(d: ApiDeps): Promise<FastifyInstance & { routeAccess: RouteAccess[] }> {
  const store = new OperatorStore(d.pool);
  if (!d.api.operators.length && !isLoopback(d.api.host) && !(await store.anyActive())) {
    throw new Error(`api.operators is empty, the case store has no operator, and api.host is ${d.api.host}: add an operator (\`abuse-desk operator add NAME ROLE\`) or listen on 127.0.0.1`);
  }
  const identify = new Identify(d.api, store, d.logger, d.operators);
  // A live operator: in api.operators and not revoked, or added to the store and active.
  const isOperator = async (name: string): Promise<boolean> => {
    if ((d.operators?.() ?? d.api.operators).some((o) => o.name === name)) return !(await store.revokedNames([name])).has(name);
    return (await store.activeRole(name)) !== null;
  };
  let countSignIn: (result: 'ok' | 'failed' | 'refused' | 'limited') => void = () => undefined;
  const app = Fastify({ logger: false, trustProxy: d.api.trustProxy, ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array' } } });
  await app.register(helmet, SECURITY_HEADERS);
  await app.register(cookie);
  // Sign-in attempts counted in Redis, shared by every API process (src/http/sign-in-limits.ts).
  await app.register(rateLimit, { global: false, ...(d.ops ? { redis: d.ops.redis, nameSpace: `${d.ops.prefix}:signin-limit:` } : {}) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'abuse-desk', version: '1', description: 'Cases of the abuse desk: read them, act on them. Every action lands in the case history with the operator.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  // Who may call each route is its config.access, decided on the matched route (src/http/access.ts).
  let signInPage: SignInPage | null = null;
  const wantsPage = (req: FastifyRequest): boolean => req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '');
  const routeAccess = registerAccess(app, {
    identify,
    unauthenticated: (req, reply, credentials) => {
      if (credentials !== 'token' && signInPage && (wantsPage(req) || credentials === 'session')) return signInPage(req, reply, 401, undefined, req.method === 'GET' ? req.url : undefined);
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: credentials === 'session' ? 'sign in on the board first' : 'a valid bearer token is needed (abuse-desk operator add, or api.operators)' });
    },
    forbidden: (_req, reply, why) => reply.code(403).send({ error: why }),
  });

  // One shape for every error: {"error": "..."}; validation errors say which field.
  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, req, reply) => {
    if (err instanceof ActionError) return reply.code(err.status).send({ error: err.message });
    if (err.validation) return reply.code(400).send({ error: `invalid request: ${err.message}` });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
    d.logger.error({ err, route: req.routeOptions.url }, 'API request failed');
    return reply.code(500).send({ error: 'internal error; see the server log' });
  });

  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ ok: true }));
  if (d.ops) {
    const { queues, redis, prefix } = d.ops;
    const now = (): Date => new Date();
    // Reads only: flushMs 0, no timer.
    const counterReader = new DeskCounters(redis, prefix, 0);
    // Sign-ins are counted by this process, written once a second.
    const counterWriter = new DeskCounters(redis, prefix, 1000, (err) => d.logger.warn({ err }, 'could not write metric counters to Redis; kept for the next try'));
    app.addHook('onClose', async () => counterWriter.close());
    countSignIn = (result) => counterWriter.signIn(result);
    const registry = createMetrics({
      state: () => deskState(queues, d.pool, redis, prefix, Date.now(), d.pollerStaleSec),
      // The SLA gauges read the same state as the others, and the open cases beside it.
      sla: d.sla
        ? async (state) => {
            const at = now();
            const [acks, cases] = await Promise.all([new PendingAcks(redis, prefix).read(d.sla!.acknowledgeSec, d.sla!.warnAt, at.getTime()), openCasesForSla(d.pool, d.sla!, at)]);
            return slaFindings(acks, cases, d.sla!, at);
          }
        : undefined,
      counters: () => counterReader.read(),
      directory: d.directory,
    });
    // Health needs no credentials: load balancers and orchestrators ask it. An
    // anonymous caller learns which check failed, never its error (host names,
    // addresses); an operator's token shows the errors.
    app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const r = await readiness(redis, d.pool, d.probes);
      const shown = req.operator ? r : { ready: r.ready, checks: Object.fromEntries(Object.entries(r.checks).map(([k, c]) => [k, { ok: c.ok }])) };
      return reply.code(r.ready ? 200 : 503).send(shown);
    });
    app.get('/metrics', { config: { access: 'viewer' }, schema: { hide: true } }, async (_req, reply) => {
      return reply.header('content-type', registry.contentType).send(await registry.metrics());
    });
    // bull-board can retry, remove and pause jobs: admins only, with a token or
    // from their board session; its routes get that from this context.
    const board = new FastifyAdapter();
    createBullBoard({ queues: [queues.triage, queues.notify, queues.alerts, queues.deadLetter].map((q) => new BullMQAdapter(q)), serverAdapter: board, options: { uiConfig: { boardTitle: 'abuse-desk queues' } } });
    board.setBasePath(QUEUE_BOARD_PATH);
    await app.register(async (queueBoard) => {
      queueBoard.addHook('onRoute', (r) => {
        r.config ??= {};
        Object.assign(r.config, { access: 'admin', credentials: 'either', helmet: QUEUE_BOARD_HEADERS });
      });
      await queueBoard.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
    });
  }
  app.get('/api/openapi.json', { config: { access: 'viewer' }, schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/cases',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Cases, most urgent first (open ones unless all=true)',
        tags: ['cases'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...CASE_STATUSES] },
            priority: { type: 'string', enum: [...PRIORITIES] },
            customer: { type: 'string', maxLength: 200 },
            category: { type: 'string', enum: [...CATEGORIES] },
            campaign: { type: 'string', pattern: '^\\d+$' },
            all: { type: 'boolean' },
            limit: { type: 'integer', minimum: 1, maximum: 5000 },
          },
        },
        response: { 200: { type: 'array', items: caseRow }, 401: error, 403: error, 400: error },
      },
    },
    async (req) => listCases(d.pool, req.query as Parameters<typeof listCases>[1]),
  );

  app.get(
    '/api/cases/:ref',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'One case: reports, reporters (numbered; named for admins with reporters=true), linked cases, history',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: refParam,
        querystring: { type: 'object', additionalProperties: false, properties: { reporters: { type: 'boolean' } } },
        response: { 200: { type: 'object', additionalProperties: true, properties: caseRow.properties }, ...errors },
      },
    },
    async (req) => {
      const { ref } = req.params as { ref: string };
      const named = (req.query as { reporters?: boolean }).reporters === true;
      if (named && !allows(req.operator!.role, 'admin')) throw new ActionError("reporters' identities are for admins", 400);
      const c = await showCase(d.pool, ref, named);
      if (!c) throw new ActionError(`no case ${ref}`, 404);
      return c;
    },
  );

  app.post(
    '/api/cases/:ref/notes',
    action('Add a note to the case history', noteBody),
    async (req) => d.actions.note(ref(req), req.operator!.name, (req.body as { text: string }).text),
  );
  app.post(
    '/api/cases/:ref/status',
    action('Set the status; "resolved" needs an outcome, and mails each reporter the decision (and the customer a statement of reasons when action was taken)', statusBody),
    async (req) => {
      const { status, outcome, ...resolution } = req.body as { status: (typeof SETTABLE_STATUSES)[number]; outcome?: (typeof OUTCOMES)[number] } & Resolution;
      return d.actions.setStatus(ref(req), req.operator!.name, status, outcome, resolution);
    },
  );
  app.post(
    '/api/cases/:ref/release',
    {
      ...action('Release the held notice of a case awaiting review: the customer is notified (with your message and the extract as trimmed, if given; the body is optional)', noticeEdits),
      // No body is a release as held: nothing changed.
      preValidation: async (req: FastifyRequest) => void (req.body ??= {}),
    },
    async (req) =>
    d.actions.release(ref(req), req.operator!.name, (req.body ?? {}) as NoticeEdits),
  );
  registerReadingRoutes(app, { pool: d.pool, actions: d.actions, compose: d.compose });
  registerListRoutes(app, { pool: d.pool, sla: d.sla, refPrefix: d.refPrefix ?? 'AD' });
  registerWorkRoutes(app, { actions: d.actions, isOperator });
  registerTargetRoutes(app, { pool: d.pool, actions: d.actions });
  app.post('/api/cases/:ref/withhold', action('Keep the notice held, saying why', reasonBody), async (req) =>
    d.actions.withhold(ref(req), req.operator!.name, (req.body as { reason: string }).reason),
  );
  app.post('/api/cases/:ref/escalate', action('Raise to urgent and alert desk.escalateTo', reasonBody), async (req) =>
    d.actions.escalate(ref(req), req.operator!.name, (req.body as { reason: string }).reason),
  );
  app.post(
    '/api/cases/:ref/flags',
    action('Set or clear a flag', flagBody),
    async (req) => {
      const b = req.body as { flag: (typeof FLAGS)[number]; set: boolean };
      return d.actions.flag(ref(req), req.operator!.name, b.flag, b.set);
    },
  );
  app.post(
    '/api/cases/:ref/split',
    action(
      'Move some reports (by message key) into a new case about a more exact target of the same customer',
      {
        type: 'object',
        additionalProperties: false,
        required: ['reports', 'target'],
        properties: { reports: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'string', pattern: '^msg-[0-9a-f]{32}$' } }, target: { type: 'string', minLength: 1, maxLength: 300 } },
      },
      { result: { ...actionResult, properties: { ...actionResult.properties, newRef: { type: 'string' } } } },
    ),
    async (req) => {
      const b = req.body as { reports: string[]; target: string };
      return d.actions.split(ref(req), b.reports, b.target, req.operator!.name);
    },
  );
  app.post(
    '/api/cases/:ref/reporters/:n/unfounded',
    action(
      "Flag (or clear) the case's reporter Rn as a sender of manifestly unfounded notices: warned once, then low priority",
      { type: 'object', additionalProperties: false, required: ['set'], properties: { set: { type: 'boolean' } } },
      { params: { type: 'object', properties: { ...refParam.properties, n: { type: 'integer', minimum: 1 } }, required: ['ref', 'n'] } },
    ),
    async (req) => {
      const p = req.params as { ref: string; n: number };
      return d.actions.markReporter(p.ref, p.n, req.operator!.name, (req.body as { set: boolean }).set);
    },
  );
  app.post(
    '/api/cases/:ref/merge',
    action('Merge this case into another open case (this one is resolved as a duplicate)', mergeBody),
    async (req) => d.actions.merge(ref(req), (req.body as { into: string }).into, req.operator!.name),
  );
  if (d.sla) {
    const registered = await registerBoard(app, {
      pool: d.pool,
      actions: d.actions,
      identify,
      session: d.api.session,
      sla: d.sla,
      deskName: d.deskName ?? 'abuse-desk',
      logger: d.logger,
      limits: signInLimits(app, d.api.signIn),
      countSignIn: (result) => countSignIn(result),
      compose: d.compose,
      refPrefix: d.refPrefix ?? 'AD',
      isOperator,
    });
    signInPage = registered.signInPage;
  }
  return Object.assign(app as FastifyInstance, { routeAccess });
}

const ref = (req: FastifyRequest): string => (req.params as { ref: string }).ref;
