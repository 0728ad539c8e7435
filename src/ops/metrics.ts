import { Gauge, Registry } from 'prom-client';
import type { DeskState } from './desk-state.ts';

/**
 * Prometheus metrics, computed when scraped from the desk's state in Redis
 * and PostgreSQL: every API process reports the same figures, and none
 * keeps counts in memory that a restart would lose.
 */
export function createMetrics(state: () => Promise<DeskState>): Registry {
  const registry = new Registry();
  let current: Promise<DeskState> | null = null;
  // One read of the state per scrape, shared by every gauge.
  const read = (): Promise<DeskState> => (current ??= state().finally(() => setTimeout(() => (current = null), 0)));

  new Gauge({
    name: 'abuse_desk_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of (await read()).queues) for (const [s, n] of Object.entries(q.counts)) this.set({ queue: q.name, state: s }, n);
    },
  });
  new Gauge({
    name: 'abuse_desk_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting to be processed, per queue (0: none waiting)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of (await read()).queues) this.set({ queue: q.name }, q.oldestWaitingSec);
    },
  });
  new Gauge({
    name: 'abuse_desk_cases_open',
    help: 'Open cases by status and priority',
    labelNames: ['status', 'priority'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of (await read()).cases) this.set({ status: c.status, priority: c.priority }, c.n);
    },
  });
  new Gauge({
    name: 'abuse_desk_dead_letter_jobs',
    help: 'Mails that could not be sent within delivery.retryForSec, waiting for `abuse-desk mail retry-dead`',
    registers: [registry],
    async collect() {
      this.set((await read()).deadLetters);
    },
  });
  return registry;
}
