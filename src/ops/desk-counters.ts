import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { OpsEvents } from '../ops-events.ts';

/** The stages a complaint passes, timed from its arrival in the mailbox. */
export const STAGES = ['triaged', 'acknowledged', 'notified'] as const;
export type Stage = (typeof STAGES)[number];

/** Upper bounds (seconds) of the stage histograms: from a busy second to a day's backlog. */
export const STAGE_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400] as const;

/** What happened to a mail, for `abuse_desk_mails_total{result}`. */
export const MAIL_RESULTS = ['sent', 'refused', 'relay_failed', 'dead_lettered', 'capped', 'suppressed'] as const;
export type MailResult = (typeof MAIL_RESULTS)[number];

export interface StageHistogram {
  /** Cumulative counts per bucket of STAGE_BUCKETS, then +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

export interface CounterValues {
  /** SLA alerts sent (grouped), by kind: breach, warning or resolved. */
  alerts: Array<{ kind: string; n: number }>;
  /** Board sign-in attempts by result: ok, failed, refused (the form was not ours), limited. */
  signIns: Array<{ result: string; n: number }>;
  /** Outages of the case store or the relay that a process met, by service. */
  outages: Array<{ service: string; n: number }>;
  mails: Array<{ kind: string; result: string; n: number }>;
  complaints: Array<{ category: string; priority: string; kind: string; n: number }>;
  stages: Map<Stage, StageHistogram>;
}

// Label values come from our own enums; the separator never appears in them, and is removed if it did.
const SEP = '|';
const field = (...parts: string[]): string => parts.map((p) => p.replaceAll(SEP, '_')).join(SEP);

/**
 * Counters and stage histograms kept in Redis, so that every worker
 * process adds to the same figures and a restart loses none of them; the
 * ops server reads them when scraped. Counts are summed in memory and
 * written in one pipeline every `flushMs` (and at close), so the pipeline
 * pays nothing per mail: a process killed outright loses at most that
 * interval's counts.
 */
export class DeskCounters {
  private pending = new Map<string, Map<string, number>>();
  private readonly timer: NodeJS.Timeout | null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    flushMs = 1000,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.timer = flushMs > 0 ? setInterval(() => void this.flush(), flushMs) : null;
    this.timer?.unref();
  }

  private key(name: string): string {
    return `${this.prefix}:metrics:${name}`;
  }

  private add(name: string, f: string, n: number): void {
    const key = this.key(name);
    let fields = this.pending.get(key);
    if (!fields) this.pending.set(key, (fields = new Map()));
    fields.set(f, (fields.get(f) ?? 0) + n);
  }

  mail(kind: string, result: MailResult, n = 1): void {
    this.add('mails', field(kind, result), n);
  }

  alert(kind: 'breach' | 'warning' | 'resolved'): void {
    this.add('alerts', kind, 1);
  }

  signIn(result: 'ok' | 'failed' | 'refused' | 'limited'): void {
    this.add('signins', result, 1);
  }

  outage(service: string): void {
    this.add('outages', service, 1);
  }

  complaint(category: string, priority: string, kind: string): void {
    this.add('complaints', field(category, priority, kind), 1);
  }

  /** Records one duration (seconds) of a stage: its bucket (made cumulative when read), the sum and the count. */
  observe(stage: Stage, seconds: number): void {
    const v = Math.max(0, seconds);
    const i = STAGE_BUCKETS.findIndex((le) => v <= le);
    this.add(`stage:${stage}`, i < 0 ? 'inf' : `b${i}`, 1);
    this.add(`stage:${stage}`, 'count', 1);
    this.add(`stage:${stage}`, 'sum', v);
  }

  /** Writes what was counted since the last flush; a failed write keeps the counts for the next one. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = this.pending;
      this.pending = new Map();
      const p = this.redis.pipeline();
      for (const [key, fields] of batch) {
        for (const [f, n] of fields) {
          if (Number.isInteger(n)) p.hincrby(key, f, n);
          else p.hincrbyfloat(key, f, n);
        }
      }
      try {
        const failed = (await p.exec())?.find(([err]) => err);
        if (failed) throw failed[0];
      } catch (err) {
        // Put them back: counted at the next flush rather than lost.
        for (const [key, fields] of batch) for (const [f, n] of fields) this.add(key.slice(this.key('').length), f, n);
        this.onError(err);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  async read(): Promise<CounterValues> {
    const p = this.redis.pipeline();
    p.hgetall(this.key('mails'));
    p.hgetall(this.key('complaints'));
    for (const s of STAGES) p.hgetall(this.key(`stage:${s}`));
    p.hgetall(this.key('alerts'));
    p.hgetall(this.key('signins'));
    p.hgetall(this.key('outages'));
    const res = (await p.exec()) ?? [];
    const hash = (i: number): Record<string, string> => {
      const [err, v] = res[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      return (v ?? {}) as Record<string, string>;
    };
    const mails = Object.entries(hash(0)).map(([f, n]) => {
      const [kind = '', result = ''] = f.split(SEP);
      return { kind, result, n: Number(n) };
    });
    const complaints = Object.entries(hash(1)).map(([f, n]) => {
      const [category = '', priority = '', kind = ''] = f.split(SEP);
      return { category, priority, kind, n: Number(n) };
    });
    const stages = new Map<Stage, StageHistogram>();
    STAGES.forEach((s, i) => {
      const h = hash(2 + i);
      const count = Number(h.count ?? 0);
      let running = 0;
      const buckets = STAGE_BUCKETS.map((_, b) => (running += Number(h[`b${b}`] ?? 0)));
      stages.set(s, { buckets: [...buckets, count], sum: Number(h.sum ?? 0), count });
    });
    const alerts = Object.entries(hash(2 + STAGES.length)).map(([kind, n]) => ({ kind, n: Number(n) }));
    const signIns = Object.entries(hash(3 + STAGES.length)).map(([result, n]) => ({ result, n: Number(n) }));
    const outages = Object.entries(hash(4 + STAGES.length)).map(([service, n]) => ({ service, n: Number(n) }));
    return { alerts, signIns, outages, mails, complaints, stages };
  }
}

const counting = new WeakMap<OpsEvents, { users: number; counters: DeskCounters; detach(): Promise<void> }>();

/**
 * Adds this process's ops events to the shared counters in Redis. Called by
 * each worker a process starts; listens once per process (so nothing counts
 * twice) until the last of them stops, which flushes what is left. A failed
 * write is logged, never thrown: metrics must not stop the pipeline.
 */
export function countOpsEvents(events: OpsEvents, redis: Redis, prefix: string, logger: Logger): { close(): Promise<void> } {
  const existing = counting.get(events);
  if (existing) {
    existing.users++;
  } else {
    // A connection of its own: the worker that started the counting may stop before the others.
    const own = redis.duplicate();
    const counters = new DeskCounters(own, prefix, 1000, (err) => logger.warn({ err }, 'could not write metric counters to Redis; kept for the next try'));
    const secondsSince = (iso: string): number => (Date.now() - Date.parse(iso)) / 1000;
    const on = {
      'mail-sent': (e: { kind: string; receivedAt: string; firstNotice: boolean }) => {
        counters.mail(e.kind, 'sent');
        if (e.kind === 'acknowledgement') counters.observe('acknowledged', secondsSince(e.receivedAt));
        if (e.firstNotice) counters.observe('notified', secondsSince(e.receivedAt));
      },
      'mail-refused': (e: { kind: string }) => counters.mail(e.kind, 'refused'),
      'mail-held': (e: { kind: string; why: 'capped' | 'suppressed' }) => counters.mail(e.kind, e.why),
      'relay-failure': (e: { kind: string }) => counters.mail(e.kind, 'relay_failed'),
      'dead-letter': (e: { kinds: string[] }) => {
        for (const k of e.kinds) counters.mail(k, 'dead_lettered');
      },
      'sla-alert': (e: { kind: 'breach' | 'warning' | 'resolved' }) => counters.alert(e.kind),
      outage: (e: { service: string; state: 'down' | 'up' }) => {
        if (e.state === 'down') counters.outage(e.service);
      },
      'complaint-triaged': (e: { category: string; priority: string; kind: string; receivedAt: string }) => {
        counters.complaint(e.category, e.priority, e.kind);
        counters.observe('triaged', secondsSince(e.receivedAt));
      },
    } as const;
    for (const [name, fn] of Object.entries(on)) events.on(name as keyof typeof on, fn as never);
    counting.set(events, {
      users: 1,
      counters,
      detach: async () => {
        for (const [name, fn] of Object.entries(on)) events.off(name as keyof typeof on, fn as never);
        await counters.close();
        await own.quit().catch(() => undefined);
      },
    });
  }
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      const c = counting.get(events)!;
      if (--c.users > 0) return;
      counting.delete(events);
      await c.detach();
    },
  };
}
