import { Gauge, Registry } from 'prom-client';
import type { DeskState } from './desk-state.ts';
import type { SlaFindings } from './sla.ts';

/**
 * Prometheus metrics, computed when scraped from the desk's state in Redis
 * and PostgreSQL: every API process reports the same figures, and none
 * keeps counts in memory that a restart would lose.
 */
export function createMetrics(state: () => Promise<DeskState>, sla?: (state: DeskState) => Promise<SlaFindings>): Registry {
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
  new Gauge({
    name: 'abuse_desk_poller_last_check_timestamp_seconds',
    help: 'When a poller last looked at the mailbox (0: never)',
    registers: [registry],
    async collect() {
      const t = (await read()).pollerLastCheck;
      this.set(t ? t / 1000 : 0);
    },
  });
  new Gauge({
    name: 'abuse_desk_redis_memory_used_bytes',
    help: 'Memory Redis uses',
    registers: [registry],
    async collect() {
      this.set((await read()).redisMemory.used);
    },
  });
  new Gauge({
    name: 'abuse_desk_redis_maxmemory_bytes',
    help: 'Redis maxmemory (0: no limit)',
    registers: [registry],
    async collect() {
      this.set((await read()).redisMemory.max);
    },
  });
  if (sla) {
    // Like the state: one SLA evaluation per scrape, shared by both gauges.
    let currentSla: Promise<SlaFindings> | null = null;
    const readSla = (): Promise<SlaFindings> => (currentSla ??= read().then(sla).finally(() => setTimeout(() => (currentSla = null), 0)));
    for (const [name, pick, help] of [
      ['abuse_desk_sla_breaches', (f: SlaFindings) => f.breaches, 'SLA clocks run out now, per clock'],
      ['abuse_desk_sla_warnings', (f: SlaFindings) => f.warnings, 'SLA clocks past sla.warnAt now, per clock'],
    ] as const) {
      new Gauge({
        name,
        help,
        labelNames: ['clock'],
        registers: [registry],
        async collect() {
          this.reset();
          const counts = new Map<string, number>(['acknowledge', 'notice', 'review', 'resolve'].map((c) => [c, 0]));
          for (const f of pick(await readSla())) counts.set(f.clock, (counts.get(f.clock) ?? 0) + 1);
          for (const [clock, n] of counts) this.set({ clock }, n);
        },
      });
    }
  }
  return registry;
}
