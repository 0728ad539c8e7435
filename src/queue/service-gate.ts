import type { Queue } from 'bullmq';
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
