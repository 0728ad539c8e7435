import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allows, type Operator, type Role } from '../operators/roles.ts';
import { bearerToken } from './auth.ts';
import type { Identify } from './identify.ts';
import { readSessionCookie } from './session-cookie.ts';

/** Who may call a route: anyone, or at least this role. */
export type Access = 'public' | Role;
/** How a caller proves who they are: an API token (Authorization: Bearer), a board session (its cookie), or either. */
export type Credentials = 'token' | 'session' | 'either';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set on every route that needs someone, and on a public one when credentials came with it. */
    operator: Operator | null;
    /** The board session the request came with, if it authenticated by one. */
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    /** Every route states it. A route that does not is refused to all but admins. */
    access?: Access;
    /** Default: token. */
    credentials?: Credentials;
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access | undefined;
  credentials: Credentials;
}

export interface AccessDeps {
  identify: Identify;
  /** The answer to a caller with no (valid) credentials on a route that needs them: the board's sign-in page for browsers, JSON otherwise. */
  unauthenticated(req: FastifyRequest, reply: FastifyReply, credentials: Credentials): FastifyReply | Promise<FastifyReply>;
  forbidden(req: FastifyRequest, reply: FastifyReply, why: string): FastifyReply | Promise<FastifyReply>;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a request a browser sent may have come from one of our own pages:
 * its Origin is this server's (scheme, host and port as the request reached
 * us, or as the trusted proxy says). Our pages send no Referer
 * (Referrer-Policy: no-referrer), which makes a browser write "Origin: null"
 * on their own form posts; then Sec-Fetch-Site decides where the browser
 * sends it (same-origin, or none for a typed URL). Where neither tells
 * (plain HTTP to a remote host sends no Sec-Fetch-*), the request passes
 * here and the other defences decide: SameSite=Strict cookies, the forms'
 * tokens, JSON-only bodies (no page elsewhere can send those without CORS).
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    try {
      const u = new URL(origin);
      return u.host === req.host && u.protocol === `${req.protocol}:`;
    } catch {
      return false;
    }
  }
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/**
 * Authorisation, decided on the route Fastify matched (after it decoded the
 * path), never on the URL as written: `/%6fps/queues` is the queue board's
 * route and needs what it needs. Every route's `config.access` says who may
 * call it; routes registered by plugins (bull-board) get theirs from the
 * context they are registered in. A route without one is for admins only.
 * A request authenticated by a session cookie that changes something must
 * come from our own pages (sameOrigin); the board's forms carry a form token
 * besides. Returns the list of routes with their access, for tests and docs.
 */
export function registerAccess(app: FastifyInstance, d: AccessDeps): RouteAccess[] {
  const routes: RouteAccess[] = [];
  app.decorateRequest('operator', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRoute', (r) => {
    // Read when asked: a plugin's context (bull-board's) sets its routes' access in an onRoute hook of its own, after this one.
    for (const method of [r.method].flat()) {
      routes.push({
        method,
        url: r.url,
        get access() {
          return r.config?.access;
        },
        get credentials() {
          return r.config?.credentials ?? 'token';
        },
      });
    }
  });
  app.addHook('onRequest', async (req, reply) => {
    // No route matched: the answer is a 404, which says nothing.
    if (!req.routeOptions.url) return;
    const access: Access = req.routeOptions.config.access ?? 'admin';
    const credentials: Credentials = req.routeOptions.config.credentials ?? 'token';
    const op = await identify(req, credentials, d.identify);
    if (op) req.operator = op;
    if (access === 'public') return;
    if (!op) return d.unauthenticated(req, reply, credentials);
    if (!allows(op.role, access)) return d.forbidden(req, reply, `${op.name} is ${op.role}; this needs ${access}`);
    if (req.sessionId && UNSAFE.has(req.method) && !sameOrigin(req)) return d.forbidden(req, reply, 'this request did not come from a page of this desk');
  });
  return routes;
}

async function identify(req: FastifyRequest, credentials: Credentials, id: Identify): Promise<Operator | null> {
  if (await id.localMode()) return { name: 'local', role: 'admin' };
  if (credentials !== 'session') {
    const token = bearerToken(req.headers.authorization);
    if (token) return id.byToken(token);
  }
  if (credentials !== 'token') {
    const sessionId = readSessionCookie(req);
    if (sessionId) {
      const op = await id.bySession(sessionId);
      if (op) req.sessionId = sessionId;
      return op;
    }
  }
  return null;
}
