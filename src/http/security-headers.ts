import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Headers on every response (@fastify/helmet). The board's pages load only
 * their own style sheet and script (no inline script): a
 * Content-Security-Policy that allows nothing else, no framing (clickjacking), no MIME sniffing, no
 * Referer (a case URL names its reference), HSTS for browsers that came over
 * TLS.
 */
export const SECURITY_HEADERS: FastifyHelmetOptions = {
  global: true,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      // The board's one script (/board/board.js: local times, shortcuts); never inline.
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  hsts: { maxAge: 31_536_000, includeSubDomains: false },
  crossOriginEmbedderPolicy: false,
};

/**
 * bull-board's single-page app (admins only) runs its own scripts and sets
 * inline styles on its elements: scripts from this server only (still no
 * inline script), inline styles allowed, its API on this server, nothing from
 * elsewhere (its web fonts fall back to the browser's).
 */
export const QUEUE_BOARD_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
    },
  },
};
