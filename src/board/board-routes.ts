import { createHash, randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { CATEGORIES, PRIORITIES } from '../classify/category-names.ts';
import { listCases, showCase } from '../cases/case-queries.ts';
import type { Config } from '../config/schema.ts';
import type { ActionResult, CaseActions } from '../decisions/case-actions.ts';
import { ActionError, type FLAGS, type OUTCOMES, type SETTABLE_STATUSES, type Resolution } from '../decisions/case-status.ts';
import type { Logger } from '../log.ts';
import { allows, authenticate, type Operator } from '../api/auth.ts';
import { emptyBody, flagBody, mergeBody, noteBody, reasonBody, refParam, statusBody } from '../api/action-bodies.ts';
import { BOARD_PATH, byDeadline, casePage, errorPage, listPage, loginPage, type BoardFilter, type PageContext } from './board-pages.ts';

export interface BoardDeps {
  pool: pg.Pool;
  actions: CaseActions;
  operators: Config['api']['operators'];
  sla: Config['sla'];
  deskName: string;
  logger: Logger;
}

const SESSION_COOKIE = 'adk_board';
/** How many rows the list shows; filters narrow the rest. */
const SHOWN = 200;

/** What each action says once done, on the case page it returns to. */
const DONE: Record<string, string> = {
  notes: 'Note added.',
  status: 'Status set.',
  release: 'Notice released.',
  withhold: 'Notice kept held.',
  escalate: 'Case escalated.',
  flags: 'Flag applied.',
  merge: 'Case merged into this one.',
};

/** Each action's form fields: the JSON API's bodies (the form token and empty fields are taken out first). */
const ACTION_BODIES: Record<string, object> = {
  notes: noteBody,
  status: statusBody,
  release: emptyBody,
  withhold: reasonBody,
  escalate: reasonBody,
  flags: flagBody,
  merge: mergeBody,
};

type Body = Record<string, string | boolean | undefined>;

/**
 * The case board: server-rendered pages for ops, nothing loaded from
 * elsewhere, plain forms and links so the keyboard and a screen reader work.
 * It signs in with an operator token (kept in an HttpOnly, SameSite=Strict
 * cookie) and every form carries a token derived from it, so no other site
 * can act through a signed-in browser. Actions go through the same
 * CaseActions as the API and the CLI.
 */
export async function registerBoard(app: FastifyInstance, d: BoardDeps): Promise<void> {
  // Without operators (loopback only) everyone is the local admin; their forms still need a token no other site knows.
  const localSecret = randomBytes(24).toString('base64url');
  const csrfFor = (token: string | null): string => createHash('sha256').update(`abuse-desk board\0${token ?? localSecret}`).digest('hex').slice(0, 40);

  await app.register(async (board) => {
    await board.register(cookie);
    await board.register(formbody);

    const session = (req: FastifyRequest): { operator: Operator; token: string | null } | null => {
      if (!d.operators.length) return { operator: { name: 'local', role: 'admin' }, token: null };
      const token = req.cookies[SESSION_COOKIE];
      const operator = token ? authenticate(`Bearer ${token}`, d.operators) : null;
      return operator ? { operator, token: token! } : null;
    };
    const context = (req: FastifyRequest): PageContext => {
      const s = session(req)!;
      return { deskName: d.deskName, operator: s.operator, signedIn: s.token !== null, csrf: csrfFor(s.token) };
    };
    const page = (reply: FastifyReply, code: number, body: string): FastifyReply => reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

    board.addHook('onRequest', async (req, reply) => {
      if (req.routeOptions.url === `${BOARD_PATH}/login`) return;
      const s = session(req);
      // 401 like the API, with the sign-in form as the body; it comes back here once signed in.
      if (!s) return page(reply, 401, loginPage(d.deskName, undefined, req.method === 'GET' ? req.url : BOARD_PATH));
      req.operator = s.operator;
    });
    // A form post must come from a board page: its origin is this host, and it carries the session's form token.
    board.addHook('preValidation', async (req, reply) => {
      if (req.method !== 'POST' || req.routeOptions.url === `${BOARD_PATH}/login`) return;
      const body = (req.body ?? {}) as Body;
      const origin = req.headers.origin;
      const sameOrigin = !origin || origin === 'null' ? false : safeHost(origin) === req.headers.host;
      if ((origin && !sameOrigin) || body.csrf !== csrfFor(session(req)!.token)) {
        return page(reply, 403, errorPage(context(req), 'Refused', 'This form did not come from a board page (its form token or origin is wrong). Reload the page and try again.'));
      }
      // Empty optional fields are absent, not invalid; "true"/"false" from a select are booleans.
      for (const [k, v] of Object.entries(body)) {
        if (v === '' || k === 'csrf') delete body[k];
        else if (v === 'true' || v === 'false') body[k] = v === 'true';
      }
    });

    board.setErrorHandler(async (err: Error & { validation?: unknown; statusCode?: number }, req, reply) => {
      const ref = (req.params as { ref?: string }).ref;
      const known = err instanceof ActionError || err.validation || (err.statusCode && err.statusCode < 500);
      if (!known) d.logger.error({ err, route: req.routeOptions.url }, 'board request failed');
      const code = err instanceof ActionError ? err.status : known ? ((err as { statusCode?: number }).statusCode ?? 400) : 500;
      const text = known ? `Not done: ${err.message}` : 'Something failed on the server; see its log.';
      const c = ref && req.operator ? await showCase(d.pool, ref).catch(() => null) : null;
      if (c) return page(reply, code, casePage(context(req), c, d.sla, new Date(), { kind: 'alert', text }));
      return page(reply, code, req.operator ? errorPage(context(req), 'Not done', text) : loginPage(d.deskName, text));
    });

    board.get(`${BOARD_PATH}/login`, async (req, reply) => {
      if (session(req)) return reply.redirect(BOARD_PATH, 303);
      return page(reply, 200, loginPage(d.deskName));
    });
    const loginBody = { type: 'object', required: ['token'], properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, next: { type: 'string', maxLength: 2000 } } } as const;
    board.post(`${BOARD_PATH}/login`, { schema: { body: loginBody } }, async (req, reply) => {
      const { token: given, next } = req.body as { token: string; next?: string };
      const token = given.trim();
      const operator = d.operators.length ? authenticate(`Bearer ${token}`, d.operators) : null;
      if (!operator) return page(reply, 401, loginPage(d.deskName, 'That token is not one of api.operators.', next));
      d.logger.info({ operator: operator.name }, 'board sign-in');
      reply.setCookie(SESSION_COOKIE, token, { path: BOARD_PATH, httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', maxAge: 12 * 3600 });
      return reply.redirect(boardPath(next), 303);
    });
    board.post(`${BOARD_PATH}/logout`, async (_req, reply) => {
      reply.clearCookie(SESSION_COOKIE, { path: BOARD_PATH });
      return reply.redirect(`${BOARD_PATH}/login`, 303);
    });

    board.get(
      BOARD_PATH,
      {
        schema: {
          querystring: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['', 'open', 'awaiting_review', 'waiting_customer', 'customer_answered'] },
              priority: { type: 'string', enum: ['', ...PRIORITIES] },
              category: { type: 'string', enum: ['', ...CATEGORIES] },
              customer: { type: 'string', maxLength: 200 },
              due: { type: 'string', enum: ['', 'breached', 'due'] },
            },
          },
        },
      },
      async (req, reply) => {
        const q = req.query as Record<string, string | undefined>;
        const filter: BoardFilter = Object.fromEntries(Object.entries(q).filter(([, v]) => v)) as BoardFilter;
        const now = new Date();
        const rows = await listCases(d.pool, { ...filter, customer: filter.customer?.trim() || undefined, limit: 5000 });
        return page(reply, 200, listPage(context(req), byDeadline(rows, d.sla, now, filter), filter, SHOWN));
      },
    );

    board.get(`${BOARD_PATH}/cases/:ref`, { schema: { params: refParam, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 20 }, mails: { type: 'integer', minimum: 0 } } } } }, async (req, reply) => {
      const { ref } = req.params as { ref: string };
      const q = req.query as { done?: string; mails?: number };
      const c = await showCase(d.pool, ref);
      if (!c) return page(reply, 404, errorPage(context(req), 'No such case', `There is no case ${ref}.`));
      const done = q.done && DONE[q.done] ? `${DONE[q.done]}${q.mails ? ` ${q.mails} mail${q.mails === 1 ? '' : 's'} queued.` : ''}` : undefined;
      return page(reply, 200, casePage(context(req), c, d.sla, new Date(), done ? { kind: 'status', text: done } : undefined));
    });

    for (const [action, body] of Object.entries(ACTION_BODIES)) {
      board.post(`${BOARD_PATH}/cases/:ref/${action}`, { schema: { params: refParam, body } }, async (req, reply) => {
        if (!allows(req.operator.role, 'agent')) throw new ActionError(`${req.operator.name} is ${req.operator.role}; acting on cases needs agent`, 400);
        const { ref } = req.params as { ref: string };
        const result = await run(d.actions, action, ref, req.operator.name, req.body as Body);
        d.logger.info({ operator: req.operator.name, ref, action }, 'board action');
        return reply.redirect(`${BOARD_PATH}/cases/${result.ref}?done=${action}&mails=${result.mails.length}`, 303);
      });
    }
  });
}

/** One board action through the case actions. */
function run(actions: CaseActions, action: string, ref: string, actor: string, b: Body): Promise<ActionResult> {
  const s = (k: string): string => String(b[k]);
  switch (action) {
    case 'notes':
      return actions.note(ref, actor, s('text'));
    case 'status': {
      const { status, outcome, reason, ground, groundType, restriction } = b as Record<string, string | undefined>;
      return actions.setStatus(ref, actor, status as (typeof SETTABLE_STATUSES)[number], outcome as (typeof OUTCOMES)[number] | undefined, { reason, ground, groundType, restriction } as Resolution);
    }
    case 'release':
      return actions.release(ref, actor);
    case 'withhold':
      return actions.withhold(ref, actor, s('reason'));
    case 'escalate':
      return actions.escalate(ref, actor, s('reason'));
    case 'flags':
      return actions.flag(ref, actor, s('flag') as (typeof FLAGS)[number], b.set === true);
    case 'merge':
      return actions.merge(ref, s('into'), actor).then((r) => ({ ...r, ref: s('into') }));
    default:
      throw new ActionError(`no action ${action}`, 404);
  }
}

/** A path on the board to return to after signing in; anything else goes to the list. */
function boardPath(next: string | undefined): string {
  return next && /^\/board(?:[/?][^\\\s]*)?$/.test(next) && !next.startsWith('//') ? next : BOARD_PATH;
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
