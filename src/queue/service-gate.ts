import type { Queue } from 'bullmq';
import { isStoreUnavailable } from '../cases/store-errors.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { OpsEvents } from '../ops-events.ts';
import { OutageGate } from './outage-gate.ts';
import { wakeParked } from './park-job.ts';

/**
 * The outage gate for one service the jobs of `queue` need (the case store,
 * the relay), with the desk's probe settings (jobs.outage): each outage is an
 * ops event when it starts and when it ends, and its end wakes the jobs
 * parked meanwhile.
 */
export function serviceGate(o: { config: Readonly<Config>; logger: Logger; events: OpsEvents; queue: Queue; service: 'store' | 'relay'; what: string; probe: () => Promise<void> }): OutageGate {
  return new OutageGate({
    what: o.what,
    probe: o.probe,
    initialMs: o.config.jobs.outage.probeInitialMs,
    maxMs: o.config.jobs.outage.probeMaxMs,
    logger: o.logger,
    onDown: (err) => o.events.emit('outage', { service: o.service, state: 'down', code: String((err as { code?: string }).code ?? (err as { responseCode?: number }).responseCode ?? '') || undefined }),
    onUp: async (outageMs) => {
      o.events.emit('outage', { service: o.service, state: 'up', outageMs });
      await wakeParked(o.queue);
    },
  });
}

/**
 * One case store call of a job: should the store be unreachable, the gate
 * hears of the outage and the job is parked (`park` ends its processing);
 * any other error is thrown as usual.
 */
export async function parkedIfStoreOut<T>(gate: OutageGate, call: () => Promise<T>, park: () => Promise<never>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!isStoreUnavailable(err)) throw err;
    gate.report(err);
    return park();
  }
}
