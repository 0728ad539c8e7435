import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { isStoreUnavailable } from './store-errors.ts';

export interface StoreWait {
  logger: Logger;
  /** First pause between attempts, doubled up to maxMs (jobs.outage.probeInitialMs / probeMaxMs). */
  initialMs: number;
  maxMs: number;
}

/** The wait at start on the outage probe's backoff (jobs.outage), as every long-running process uses it. */
export const storeWaitOf = (config: Readonly<Config>, logger: Logger): StoreWait => ({ logger, initialMs: config.jobs.outage.probeInitialMs, maxMs: config.jobs.outage.probeMaxMs });

/**
 * Runs `step` (opening the store, reading a desk secret) until the case store
 * answers it. A long-running process started while the store is restarting or
 * cut off waits for it, logging once, rather than exiting: under a supervisor
 * an exit would only restart it into the same outage, and `abuse-desk start`
 * would take the poller down with it. Anything else (a wrong password, a
 * missing database) is a configuration error and is thrown at once.
 */
export async function untilStoreAnswers<T>(step: () => Promise<T>, o: StoreWait): Promise<T> {
  let pause = o.initialMs;
  let since = 0;
  for (;;) {
    try {
      const value = await step();
      if (since) o.logger.info({ waitedMs: Date.now() - since }, 'case store reachable, starting');
      return value;
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      if (!since) {
        since = Date.now();
        o.logger.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'case store unreachable at start; waiting for it');
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, o.maxMs);
    }
  }
}
