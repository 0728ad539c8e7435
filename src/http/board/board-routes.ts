import { createHash, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { CATEGORIES, PRIORITIES } from '../../config/category-names.ts';
import { showCase } from '../../cases/case-queries.ts';
import type { Config } from '../../config/schema.ts';
import type { ActionResult, CaseActions } from '../../actions/case-actions.ts';
import { ActionError, type Resolution } from '../../actions/case-status.ts';
import { CASE_STATUSES, type FLAGS, type OUTCOMES, type SETTABLE_STATUSES } from '../../cases/case-vocabulary.ts';
import type { Logger } from '../../log.ts';
import type { Operator } from '../../operators/roles.ts';
import { flagBody, mergeBody, noteBody, reasonBody, refParam, statusBody } from '../action-bodies.ts';
import { sameOrigin } from '../access.ts';
import type { Identify } from '../identify.ts';
import { clearSessionCookie, clearSignInCookie, readSessionCookie, readSignInCookie, setSessionCookie, setSignInCookie } from '../session-cookie.ts';
import type { SignInLimits } from '../sign-in-limits.ts';
import type { NoticeEdits } from '../../actions/held-notice.ts';
import { caseThread } from '../../cases/mail-thread.ts';
import { caseReports } from '../../cases/report-queries.ts';
import { allows } from '../../operators/roles.ts';
import { noticeEdits, previewNotice, reportKeyParam, sendEml, type ComposeText } from '../case-reading-routes.ts';
import { reportsFor, threadFor } from '../report-presenter.ts';
import { heldNoticeSection, reportsSection, threadSection } from './case-reading.ts';
import { listByDeadline, SEARCH_KINDS, targetsToConfirm, type SearchKind } from '../../cases/case-lists.ts';
import { deadlineList, search, searchQuery } from '../list-routes.ts';
import { BULK_ACTIONS, bulkBody, runBulk, type BulkRequest } from '../work-routes.ts';
import { correctTarget, ruleIdParam, targetBody } from '../target-routes.ts';
import { listLearnedRules, removeLearnedRule } from '../../cases/learned-rules.ts';
import { learnedPage } from './learned-page.ts';
import { BOARD_JS } from './board-script.ts';
import { listPage, searchPage, storedRow } from './list-pages.ts';
import { BOARD_PATH, SCRIPT_PATH, STYLE_PATH, casePage, type CaseExtras, errorPage, loginPage, type BoardFilter, type PageContext } from './board-pages.ts';
import { BOARD_CSS } from './board-style.ts';

export interface BoardDeps {
  pool: pg.Pool;
  actions: CaseActions;
  identify: Identify;
  session: Config['api']['session'];
  sla: Config['sla'];
  deskName: string;
  logger: Logger;
  /** Sign-in attempts limited per address and per operator, in Redis (absent: not limited, as in unit tests). */
  limits?: SignInLimits;
  /** Counts sign-ins for /metrics: ok, failed, refused (form not from us), limited. */
  countSignIn?: (result: 'ok' | 'failed' | 'refused' | 'limited') => void;
  /** The desk's templates: the held notice as it will be sent. */
  compose?: ComposeText;
  /** desk.caseRefPrefix, for the search box. */
  refPrefix: string;
  /** Whether a name is a live operator's (assigning a case). */
  isOperator: (name: string) => Promise<boolean>;
}

/** Reports shown per case page; links page through the rest. */
const REPORTS_SHOWN = 20;

/** How many rows the list shows; filters narrow the rest. */
const SHOWN = 200;

/** What each action says once done, on the case page it returns to. */
const DONE: Record<string, string> = {
  notes: 'Note added.',
  owner: 'Owner set.',
  status: 'Status set.',
  release: 'Notice released.',
  withhold: 'Notice kept held.',
  escalate: 'Case escalated.',
  flags: 'Flag applied.',
  merge: 'Case merged into this one.',
  target: 'Target answered: the desk learned it for the sender.',
};

/** Each action's form fields: the JSON API's bodies (the form token and empty fields are taken out first). */
const ACTION_BODIES: Record<string, object> = {
  notes: noteBody,
  status: statusBody,
  release: noticeEdits,
  withhold: reasonBody,
  escalate: reasonBody,
  flags: flagBody,
  merge: mergeBody,
  target: targetBody,
};

type Body = Record<string, string | boolean | undefined>;

const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * The case board: server-rendered pages for ops, nothing loaded from
 * elsewhere, no script, plain forms and links so the keyboard and a screen
 * reader work. Sign-in makes a server-side session (src/http/identify.ts);
 * the cookie holds its random id, never a token. The sign-in form carries a
 * token of its own and must come from this host; every other form carries a
 * token derived from the session. Who may see each page is the route's
 * `access` (src/http/access.ts). Actions go through the same CaseActions as
 * the API and the CLI.
 */
export async function registerBoard(app: FastifyInstance, d: BoardDeps): Promise<{ signInPage: SignInPage }> {
  let signInPageOf: SignInPage | null = null;
  // Without operators (loopback only) everyone is the local admin; their forms still need a token no other site knows.
  const localSecret = randomBytes(24).toString('base64url');
  const csrfFor = (req: FastifyRequest): string => sha256hex(`abuse-desk board\0${req.sessionId ?? localSecret}`).slice(0, 40);
  const signInCsrf = (cookie: string): string => sha256hex(`abuse-desk sign-in\0${cookie}`).slice(0, 40);

  await app.register(async (board) => {
    await board.register(formbody);

    const context = (req: FastifyRequest): PageContext => ({ deskName: d.deskName, operator: req.operator as Operator, signedIn: req.sessionId !== null, csrf: csrfFor(req) });
    const page = (reply: FastifyReply, code: number, body: string): FastifyReply => reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
    /** The sign-in page, with a fresh sign-in cookie and the form token derived from it. */
    const signInPage = (req: FastifyRequest, reply: FastifyReply, code: number, error?: string, next?: string): FastifyReply => {
      const cookie = randomBytes(24).toString('base64url');
      setSignInCookie(req, reply, cookie);
      return page(reply, code, loginPage(d.deskName, signInCsrf(cookie), error, next));
    };
    signInPageOf = signInPage;

    // A form post must come from a board page: it carries the session's form token (the origin is checked for every session request).
    board.addHook('preValidation', async (req, reply) => {
      if (req.method !== 'POST' || req.routeOptions.url === `${BOARD_PATH}/login`) return;
      const body = (req.body ?? {}) as Body;
      if (body.csrf !== csrfFor(req)) {
        return page(reply, 403, errorPage(context(req), 'Refused', 'This form did not come from a board page (its form token is wrong). Reload the page and try again.'));
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
      if (!req.operator) return signInPage(req, reply, code, text);
      const c = ref ? await showCase(d.pool, ref).catch(() => null) : null;
      if (c) return page(reply, code, casePage(context(req), c, d.sla, new Date(), { kind: 'alert', text }));
      return page(reply, code, errorPage(context(req), 'Not done', text));
    });

    board.get(STYLE_PATH, { config: { access: 'public' } }, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(BOARD_CSS));
    board.get(SCRIPT_PATH, { config: { access: 'public' } }, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(BOARD_JS));

    board.get(`${BOARD_PATH}/login`, { config: { access: 'public', credentials: 'session' } }, async (req, reply) => {
      if (req.operator) return reply.redirect(BOARD_PATH, 303);
      return signInPage(req, reply, 200);
    });

    const loginBody = {
      type: 'object',
      required: ['operator', 'token'],
      properties: { operator: { type: 'string', minLength: 1, maxLength: 64 }, token: { type: 'string', minLength: 1, maxLength: 200 }, csrf: { type: 'string', maxLength: 100 }, next: { type: 'string', maxLength: 2000 } },
    } as const;
    board.post(
      `${BOARD_PATH}/login`,
      { config: { access: 'public' }, schema: { body: loginBody } },
      async (req, reply) => {
        const { operator: name, token, csrf, next } = req.body as { operator: string; token: string; csrf?: string; next?: string };
        // Every attempt counts, per address and per operator named, before anything is checked.
        const limit = await d.limits?.check(req);
        if (limit?.limited) {
          d.logger.warn({ ip: req.ip, operator: name.trim().slice(0, 64), retryAfterSec: limit.retryAfterSec }, 'board sign-in refused: too many attempts');
          d.countSignIn?.('limited');
          reply.header('retry-after', String(limit.retryAfterSec));
          return signInPage(req, reply, 429, `Too many sign-in attempts; try again in ${Math.ceil(limit.retryAfterSec / 60)} min.`, next);
        }
        const cookie = readSignInCookie(req);
        // Login CSRF: a page elsewhere must not sign this browser in as someone else.
        if (!sameOrigin(req) || !cookie || csrf !== signInCsrf(cookie)) {
          d.logger.warn({ ip: req.ip, reason: 'form not from this desk' }, 'board sign-in refused');
          d.countSignIn?.('refused');
          return signInPage(req, reply, 403, 'This sign-in did not come from this desk’s sign-in page. Reload it and try again.', next);
        }
        const operator = await d.identify.signIn(name.trim(), token.trim());
        if (!operator) {
          // Never the token, and the same answer whether the name or the token was wrong.
          d.logger.warn({ ip: req.ip, operator: name.trim().slice(0, 64), reason: 'wrong operator or token' }, 'board sign-in refused');
          d.countSignIn?.('failed');
          return signInPage(req, reply, 401, 'That operator name and token do not match a live operator.', next);
        }
        const id = await d.identify.startSession(operator.name);
        setSessionCookie(req, reply, id, d.session.maxSec);
        clearSignInCookie(req, reply);
        d.logger.info({ operator: operator.name, ip: req.ip }, 'board sign-in');
        d.countSignIn?.('ok');
        return reply.redirect(boardPath(next), 303);
      },
    );
    board.post(`${BOARD_PATH}/logout`, { config: { access: 'viewer', credentials: 'session' } }, async (req, reply) => {
      const id = readSessionCookie(req);
      if (id) await d.identify.endSession(id);
      clearSessionCookie(req, reply);
      d.logger.info({ operator: req.operator?.name }, 'board sign-out');
      return reply.redirect(`${BOARD_PATH}/login`, 303);
    });

    board.get(
      BOARD_PATH,
      {
        config: { access: 'viewer', credentials: 'session' },
        schema: {
          querystring: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['', ...CASE_STATUSES] },
              priority: { type: 'string', enum: ['', ...PRIORITIES] },
              category: { type: 'string', enum: ['', ...CATEGORIES] },
              customer: { type: 'string', maxLength: 200 },
              due: { type: 'string', enum: ['', 'breached', 'due'] },
              owner: { type: 'string', maxLength: 64 },
              after: { type: 'string', maxLength: 200 },
              bulk: { type: 'string', enum: [...BULK_ACTIONS] },
              ok: { type: 'integer', minimum: 0, maximum: 1000 },
              mails: { type: 'integer', minimum: 0, maximum: 100000 },
              failed: { type: 'string', maxLength: 800, pattern: '^[A-Z]{1,6}-\\d{4}-\\d{6,}(,[A-Z]{1,6}-\\d{4}-\\d{6,})*$' },
            },
          },
        },
      },
      async (req, reply) => {
        const q = req.query as Record<string, string | undefined>;
        const { after, bulk, ok, mails, failed, ...rest } = q as Record<string, string | undefined>;
        const filter: BoardFilter = Object.fromEntries(Object.entries(rest).filter(([, v]) => v)) as BoardFilter;
        const now = new Date();
        // Sorted and counted by the database on the stored deadlines (src/cases/case-lists.ts).
        const list = { pool: d.pool, sla: d.sla, refPrefix: d.refPrefix };
        const owner = filter.owner === 'me' ? (req.operator as Operator).name : filter.owner;
        const listed = await deadlineList(list, { ...filter, owner, after, limit: SHOWN });
        const breached = filter.due === 'breached' ? listed.total : (await listByDeadline(d.pool, { ...filter, owner, customer: filter.customer?.trim() || undefined, due: 'breached', limit: 1 }, now)).total;
        const nextHref = listed.next ? `${BOARD_PATH}?${new URLSearchParams({ ...(filter as Record<string, string>), after: listed.next })}` : null;
        const n = Number(ok ?? 0);
        const m = Number(mails ?? 0);
        const status = bulk
          ? { kind: failed ? ('alert' as const) : ('status' as const), text: `${bulk}: ${n} case${n === 1 ? '' : 's'} done${m ? `, ${m} mail${m === 1 ? '' : 's'} queued` : ''}.${failed ? ` Not done (see each case for why): ${failed.split(',').join(', ')}.` : ''}` }
          : undefined;
        const toConfirm = await targetsToConfirm(d.pool);
        return page(reply, 200, listPage(context(req), listed.cases.map((c) => storedRow(c, now)), filter, SHOWN, { total: listed.total, more: listed.more, nextHref, breached, toConfirm }, status));
      },
    );

    board.get(
      `${BOARD_PATH}/search`,
      { config: { access: 'viewer', credentials: 'session' }, schema: { querystring: { ...searchQuery, properties: { ...searchQuery.properties, kind: { type: 'string', enum: ['', 'auto', ...SEARCH_KINDS] } } } } },
      async (req, reply) => {
        const q = req.query as { q: string; kind?: string; after?: string };
        const kinds = allows((req.operator as Operator).role, 'agent') ? SEARCH_KINDS : SEARCH_KINDS.filter((k) => k !== 'reporter');
        const found = await search({ pool: d.pool, refPrefix: d.refPrefix }, (req.operator as Operator).role, { q: q.q, kind: (q.kind || 'auto') as SearchKind | 'auto', after: q.after, limit: SHOWN });
        const nextHref = found.next ? `${BOARD_PATH}/search?${new URLSearchParams({ q: q.q, kind: found.kind, after: found.next })}` : null;
        const now = new Date();
        return page(reply, 200, searchPage(context(req), q.q, found.kind, kinds, found.cases.map((c) => storedRow(c, now)), { total: found.total, more: found.more, nextHref }));
      },
    );

    /** A case page with its reports, thread and (for agents, when held) the notice as it will be sent with `edits`. */
    const fullCasePage = async (req: FastifyRequest, reply: FastifyReply, ref: string, o: { reportsFrom?: number; edits?: NoticeEdits; status?: { kind: 'status' | 'alert'; text: string }; code?: number } = {}): Promise<FastifyReply> => {
      const c = await showCase(d.pool, ref);
      if (!c) return page(reply, 404, errorPage(context(req), 'No such case', `There is no case ${ref}.`));
      const role = (req.operator as Operator).role;
      const pageOf = { offset: o.reportsFrom ?? 0, limit: REPORTS_SHOWN };
      const [reports, thread] = await Promise.all([caseReports(d.pool, ref, pageOf), caseThread(d.pool, ref)]);
      const extra: CaseExtras = {
        reports: reports ? reportsSection(BOARD_PATH, ref, reportsFor(role, reports.reports), reports.total, pageOf) : undefined,
        thread: thread ? threadSection(threadFor(role, thread)) : undefined,
      };
      if (c.status === 'awaiting_review' && allows(role, 'agent')) {
        const preview = await previewNotice(d, ref, o.edits ?? {}).catch((err: Error) => ({ error: err instanceof ActionError ? err.message : 'see the server log' }));
        extra.held = (form) => heldNoticeSection(preview, form, `${BOARD_PATH}/cases/${ref}/preview-notice`);
      }
      return page(reply, o.code ?? 200, casePage(context(req), c, d.sla, new Date(), o.status, extra));
    };

    board.get(
      `${BOARD_PATH}/cases/:ref`,
      {
        config: { access: 'viewer', credentials: 'session' },
        schema: { params: refParam, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 20 }, mails: { type: 'integer', minimum: 0 }, reports: { type: 'integer', minimum: 0, maximum: 10_000_000 } } } },
      },
      async (req, reply) => {
        const { ref } = req.params as { ref: string };
        const q = req.query as { done?: string; mails?: number; reports?: number };
        const done = q.done && DONE[q.done] ? `${DONE[q.done]}${q.mails ? ` ${q.mails} mail${q.mails === 1 ? '' : 's'} queued.` : ''}` : undefined;
        return fullCasePage(req, reply, ref, { reportsFrom: q.reports, status: done ? { kind: 'status', text: done } : undefined });
      },
    );

    // The held notice with a person's changes, shown before anything is sent (a form post: the changes may be long).
    board.post(`${BOARD_PATH}/cases/:ref/preview-notice`, { config: { access: 'agent', credentials: 'session' }, schema: { params: refParam, body: noticeEdits } }, async (req, reply) => {
      const { ref } = req.params as { ref: string };
      return fullCasePage(req, reply, ref, { edits: req.body as NoticeEdits, status: { kind: 'status', text: 'Preview with your changes; nothing was sent.' } });
    });

    // The report as received, to download (agents): never shown inline.
    board.get(`${BOARD_PATH}/cases/:ref/reports/:key.eml`, { config: { access: 'agent', credentials: 'session' }, schema: { params: reportKeyParam } }, async (req, reply) => {
      const { ref, key } = req.params as { ref: string; key: string };
      return sendEml(d.pool, reply, ref, key);
    });

    // What agents' corrections taught the desk (a rule's place is a line of a report: agents only).
    board.get(`${BOARD_PATH}/learned`, { config: { access: 'agent', credentials: 'session' }, schema: { querystring: { type: 'object', properties: { removed: ruleIdParam.properties.id } } } }, async (req, reply) => {
      const { removed } = req.query as { removed?: string };
      return page(reply, 200, learnedPage(context(req), await listLearnedRules(d.pool), removed ? { kind: 'status', text: `Rule ${removed} removed.` } : undefined));
    });
    board.post(`${BOARD_PATH}/learned/:id/remove`, { config: { access: 'agent', credentials: 'session' }, schema: { params: ruleIdParam } }, async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await removeLearnedRule(d.pool, id, (req.operator as Operator).name))) throw new ActionError(`no learned rule ${id}`, 404);
      d.logger.info({ operator: (req.operator as Operator).name, rule: id, action: 'remove learned rule' }, 'board action');
      return reply.redirect(`${BOARD_PATH}/learned?removed=${id}`, 303);
    });

    // Who works a case: "me", another operator, or nobody (an empty field).
    board.post(
      `${BOARD_PATH}/cases/:ref/owner`,
      { config: { access: 'agent', credentials: 'session' }, schema: { params: refParam, body: { type: 'object', properties: { owner: { type: 'string', maxLength: 64 } } } } },
      async (req, reply) => {
        const { ref } = req.params as { ref: string };
        const work = { actions: d.actions, isOperator: d.isOperator };
        const { owner } = req.body as { owner?: string };
        await runBulk(work, req, { refs: [ref], action: 'assign', owner: owner ?? null }).then(([r]) => {
          if (!r!.ok) throw new ActionError(r!.error!, 409);
        });
        d.logger.info({ operator: (req.operator as Operator).name, ref, action: 'owner' }, 'board action');
        return reply.redirect(`${BOARD_PATH}/cases/${ref}?done=owner`, 303);
      },
    );

    // One action on the cases ticked in the list; back to the list, saying what was done.
    board.post(`${BOARD_PATH}/bulk`, { config: { access: 'agent', credentials: 'session' }, schema: { body: { ...bulkBody, additionalProperties: true } } }, async (req, reply) => {
      const b = req.body as BulkRequest;
      const results = await runBulk({ actions: d.actions, isOperator: d.isOperator }, req, b);
      const ok = results.filter((r) => r.ok);
      const failed = results.filter((r) => !r.ok);
      const mails = ok.reduce((n, r) => n + (r.mails?.length ?? 0), 0);
      d.logger.info({ operator: (req.operator as Operator).name, action: b.action, cases: ok.length, failed: failed.length }, 'board bulk action');
      // Only counts and references travel in the address: the page writes the sentence (a link cannot put words on it).
      const q = new URLSearchParams({ bulk: b.action, ok: String(ok.length), mails: String(mails), ...(failed.length ? { failed: failed.slice(0, 20).map((f) => f.ref).join(',') } : {}) });
      return reply.redirect(`${BOARD_PATH}?${q}`, 303);
    });

    for (const [action, body] of Object.entries(ACTION_BODIES)) {
      board.post(`${BOARD_PATH}/cases/:ref/${action}`, { config: { access: 'agent', credentials: 'session' }, schema: { params: refParam, body } }, async (req, reply) => {
        const { ref } = req.params as { ref: string };
        const actor = (req.operator as Operator).name;
        const result = await run(d.actions, action, ref, actor, req.body as Body);
        d.logger.info({ operator: actor, ref, action }, 'board action');
        return reply.redirect(`${BOARD_PATH}/cases/${result.ref}?done=${action}&mails=${result.mails.length}`, 303);
      });
    }
  });
  return { signInPage: (...args) => signInPageOf!(...args) };
}

/** The board's sign-in page as an answer (status, what went wrong, where to go after). */
export type SignInPage = (req: FastifyRequest, reply: FastifyReply, code: number, error?: string, next?: string) => FastifyReply;

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
      return actions.release(ref, actor, { message: b.message as string | undefined, excerpt: b.excerpt as string | undefined });
    case 'withhold':
      return actions.withhold(ref, actor, s('reason'));
    case 'escalate':
      return actions.escalate(ref, actor, s('reason'));
    case 'flags':
      return actions.flag(ref, actor, s('flag') as (typeof FLAGS)[number], b.set === true);
    case 'merge':
      return actions.merge(ref, s('into'), actor).then((r) => ({ ...r, ref: s('into') }));
    case 'target':
      return correctTarget(actions, ref, actor, s('verdict') as 'confirm' | 'dismiss', (b.reason as string | undefined) ?? '');
    default:
      throw new ActionError(`no action ${action}`, 404);
  }
}

/** A path on the board to return to after signing in; anything else goes to the list. */
export function boardPath(next: string | undefined): string {
  return next && /^\/(?:board|ops\/queues)(?:[/?][^\\\s]*)?$/.test(next) && !next.startsWith('//') ? next : BOARD_PATH;
}
