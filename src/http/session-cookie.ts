import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The board's cookies. Over TLS (the request's own, or as a trusted proxy
 * says: api.trustProxy) they are Secure and carry the __Host- prefix, which
 * the browser keeps for this host only (no Domain, Path=/), so no sibling
 * subdomain can set or read them. HttpOnly, SameSite=Strict always.
 */
const SESSION = 'adk_session';
const SIGN_IN = 'adk_signin';

const secure = (req: FastifyRequest): boolean => req.protocol === 'https';
const named = (req: FastifyRequest, base: string): string => (secure(req) ? `__Host-${base}` : base);

function read(req: FastifyRequest, base: string): string | null {
  // Over TLS only the prefixed cookie counts: a plain one could have been planted over plain HTTP.
  const value = secure(req) ? req.cookies[`__Host-${base}`] : (req.cookies[base] ?? req.cookies[`__Host-${base}`]);
  return value && /^[A-Za-z0-9_-]{16,100}$/.test(value) ? value : null;
}

function set(req: FastifyRequest, reply: FastifyReply, base: string, value: string, maxAgeSec: number): void {
  reply.setCookie(named(req, base), value, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(req), maxAge: maxAgeSec });
}

function clear(req: FastifyRequest, reply: FastifyReply, base: string): void {
  reply.clearCookie(named(req, base), { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(req) });
}

export const readSessionCookie = (req: FastifyRequest): string | null => read(req, SESSION);
export const setSessionCookie = (req: FastifyRequest, reply: FastifyReply, id: string, maxAgeSec: number): void => set(req, reply, SESSION, id, maxAgeSec);
export const clearSessionCookie = (req: FastifyRequest, reply: FastifyReply): void => clear(req, reply, SESSION);

/** The sign-in form's own cookie: its form token is derived from it (a page on another site can know neither). */
export const readSignInCookie = (req: FastifyRequest): string | null => read(req, SIGN_IN);
export const setSignInCookie = (req: FastifyRequest, reply: FastifyReply, value: string): void => set(req, reply, SIGN_IN, value, 3600);
export const clearSignInCookie = (req: FastifyRequest, reply: FastifyReply): void => clear(req, reply, SIGN_IN);
