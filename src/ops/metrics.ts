import { Counter, Gauge, Registry } from 'prom-client';
import type { DeskState } from './desk-state.ts';
import { MAIL_KINDS } from '../notify/templates.ts';
import { MAIL_RESULTS, STAGE_BUCKETS, STAGES, type CounterValues } from './desk-counters.ts';
import type { SlaFindings } from './sla.ts';

export interface MetricSources {
  /** Queues, cases, poller and Redis, read once per scrape. */
  state: () => Promise<DeskState>;
  /** SLA findings over that state. */
  sla?: (state: DeskState) => Promise<SlaFindings>;
  /** Mails, complaints and stage durations the workers counted in Redis. */
  counters?: () => Promise<CounterValues>;
  /** The customer directory this process holds. */
  directory?: () => { counts: Record<string, number>; loadedAt: number; failedReloads: number };
}

/**
 * A read shared by every metric collected in one scrape: the first caller
 * starts it, the others get the same promise, the next scrape reads again.
 */
function oncePerScrape<T>(load: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  return () => (current ??= load().finally(() => setTimeout(() => (current = null), 0)));
}

/**
 * Prometheus metrics, computed when scraped from the desk's state in Redis
 * and PostgreSQL: every API process reports the same figures, and none
 * keeps counts in memory that a restart would lose.
 */
export function createMetrics({ state, sla, counters, directory }: MetricSources): Registry {
  const registry = new Registry();
  // One read of the state per scrape, shared by every gauge.
  const read = oncePerScrape(state);

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
  new Gauge({
    name: 'abuse_desk_poller_connected',
    help: 'Whether a poller checked the mailbox within the last ops.pollerStaleSec (1) or not (0)',
    registers: [registry],
    async collect() {
      this.set((await read()).pollerConnected ? 1 : 0);
    },
  });
  if (counters) {
    const readCounts = oncePerScrape(counters);
    new Counter({
      name: 'abuse_desk_mails_total',
      help: 'Mails by kind and result: sent, refused (by the recipient), relay_failed (attempts our relay failed), dead_lettered, capped, suppressed',
      labelNames: ['kind', 'result'],
      registers: [registry],
      async collect() {
        this.reset();
        // Every kind and result from the start, at 0: a desk whose first mails all fail still gives the failure-rate rule its data.
        for (const kind of [...MAIL_KINDS, 'sla-alert']) for (const result of MAIL_RESULTS) this.inc({ kind, result }, 0);
        for (const m of (await readCounts()).mails) this.inc({ kind: m.kind, result: m.result }, m.n);
      },
    });
    new Counter({
      name: 'abuse_desk_sla_alerts_total',
      help: 'Grouped SLA alerts sent (by mail and webhook), by kind: breach, warning, resolved',
      labelNames: ['kind'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const k of ['breach', 'warning', 'resolved']) this.inc({ kind: k }, 0);
        for (const a of (await readCounts()).alerts) this.inc({ kind: a.kind }, a.n);
      },
    });
    new Counter({
      name: 'abuse_desk_signins_total',
      help: 'Board sign-in attempts by result: ok, failed (wrong operator or token), refused (the form did not come from this desk), limited (too many attempts)',
      labelNames: ['result'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of ['ok', 'failed', 'refused', 'limited']) this.inc({ result: r }, 0);
        for (const a of (await readCounts()).signIns) this.inc({ result: a.result }, a.n);
      },
    });
    new Counter({
      name: 'abuse_desk_outages_total',
      help: 'Outages of the case store or the SMTP relay met by a worker process (each process counts the outages it met)',
      labelNames: ['service'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const sv of ['store', 'relay']) this.inc({ service: sv }, 0);
        for (const o of (await readCounts()).outages) this.inc({ service: o.service }, o.n);
      },
    });
    new Counter({
      name: 'abuse_desk_complaints_total',
      help: 'Complaints triaged, by category, priority and kind of mail',
      labelNames: ['category', 'priority', 'kind'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of (await readCounts()).complaints) this.inc({ category: c.category, priority: c.priority, kind: c.kind }, c.n);
      },
    });
    // A histogram whose buckets the workers filled in Redis: exposed as it is, not re-observed here.
    const name = 'abuse_desk_stage_seconds';
    const help = 'Seconds from a complaint reaching the mailbox to: triaged, acknowledgement sent, first notice sent';
    registry.registerMetric({
      name,
      help,
      type: 'histogram',
      async get() {
        const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
        const stages = (await readCounts()).stages;
        for (const stage of STAGES) {
          const h = stages.get(stage)!;
          [...STAGE_BUCKETS, '+Inf'].forEach((le, i) => values.push({ metricName: `${name}_bucket`, labels: { stage, le }, value: h.buckets[i]! }));
          values.push({ metricName: `${name}_sum`, labels: { stage }, value: h.sum });
          values.push({ metricName: `${name}_count`, labels: { stage }, value: h.count });
        }
        return { name, help, type: 'histogram', values, aggregator: 'sum' };
      },
      reset() {},
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }
  if (directory) {
    new Gauge({
      name: 'abuse_desk_directory_entries',
      help: 'Entries in the customer directory, by kind (customers, domains, hosts, networks, accounts)',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [kind, n] of Object.entries(directory().counts)) this.set({ kind }, n);
      },
    });
    new Gauge({
      name: 'abuse_desk_directory_loaded_timestamp_seconds',
      help: 'When the customer directory in use was loaded',
      registers: [registry],
      collect() {
        this.set(directory().loadedAt / 1000);
      },
    });
    new Gauge({
      name: 'abuse_desk_directory_failed_reloads',
      help: 'Reloads of the customer directory that failed (the previous one stays in use) since this process started',
      registers: [registry],
      collect() {
        this.set(directory().failedReloads);
      },
    });
  }
  if (sla) {
    // Like the state: one SLA evaluation per scrape, shared by both gauges.
    const readSla = oncePerScrape(() => read().then(sla));
    for (const [name, pick, help] of [
      ['abuse_desk_sla_breaches', (f: SlaFindings) => f.breaches, 'SLA clocks run out now, per clock: complaints not acknowledged in time (acknowledge), cases (notice, review, resolve)'],
      ['abuse_desk_sla_warnings', (f: SlaFindings) => f.warnings, 'SLA clocks past sla.warnAt now, per clock: complaints (acknowledge), cases (the others)'],
    ] as const) {
      new Gauge({
        name,
        help,
        labelNames: ['clock'],
        registers: [registry],
        async collect() {
          this.reset();
          const counts = new Map<string, number>(['acknowledge', 'notice', 'review', 'resolve'].map((c) => [c, 0]));
          // Complaints for the acknowledgement clock, cases for the others.
          for (const f of pick(await readSla())) counts.set(f.clock, (counts.get(f.clock) ?? 0) + (f.count ?? 1));
          for (const [clock, n] of counts) this.set({ clock }, n);
        },
      });
    }
  }
  return registry;
}
