import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';

export interface SignInLimits {
  /** Counts this attempt against its address and the operator it names; says whether either is over its limit, and for how long. */
  check(req: FastifyRequest): Promise<{ limited: boolean; retryAfterSec: number }>;
}

/**
 * Sign-in attempts limited per address and per operator named, each in a
 * window (api.signIn), through @fastify/rate-limit's store: in Redis when the
 * plugin was registered with one, so every API process counts together. Every
 * attempt counts, right or wrong. Both limits are asked every time (so a
 * guesser spreading over addresses still meets the operator's).
 */
export function signInLimits(app: FastifyInstance, cfg: Config['api']['signIn']): SignInLimits {
  const named = (req: FastifyRequest): string => String((req.body as { operator?: unknown } | undefined)?.operator ?? '').trim().toLowerCase().slice(0, 64);
  const perAddress = app.createRateLimit({ max: cfg.perAddress.max, timeWindow: cfg.perAddress.windowSec * 1000, keyGenerator: (req) => `address:${req.ip}` });
  const perOperator = app.createRateLimit({ max: cfg.perOperator.max, timeWindow: cfg.perOperator.windowSec * 1000, keyGenerator: (req) => `operator:${named(req)}` });
  return {
    async check(req) {
      const [a, o] = await Promise.all([perAddress(req), perOperator(req)]);
      const over = [a, o].filter((r) => 'isExceeded' in r && r.isExceeded) as Array<{ ttlInSeconds: number }>;
      return { limited: over.length > 0, retryAfterSec: Math.max(0, ...over.map((r) => r.ttlInSeconds)) };
    },
  };
}
