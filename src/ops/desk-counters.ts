import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { OpsEvents } from '../ops-events.ts';

/** The stages a complaint passes, timed from its arrival in the mailbox. */
export const STAGES = ['triaged', 'acknowledged', 'notified'] as const;
export type Stage = (typeof STAGES)[number];

/** Upper bounds (seconds) of the stage histograms: from a busy second to a day's backlog. */
export const STAGE_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400] as const;

/** What happened to a mail, for `abuse_desk_mails_total{result}`. */
export type MailResult = 'sent' | 'refused' | 'relay_failed' | 'dead_lettered' | 'capped' | 'suppressed';

export interface StageHistogram {
  /** Cumulative counts per bucket of STAGE_BUCKETS, then +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

export interface CounterValues {
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
 * ops server reads them when scraped. Each write is one pipelined round
 * trip; none is awaited by the pipeline.
 */
export class DeskCounters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(name: string): string {
    return `${this.prefix}:metrics:${name}`;
  }

  async mail(kind: string, result: MailResult, n = 1): Promise<void> {
    await this.redis.hincrby(this.key('mails'), field(kind, result), n);
  }

  async complaint(category: string, priority: string, kind: string): Promise<void> {
    await this.redis.hincrby(this.key('complaints'), field(category, priority, kind), 1);
  }

  /** Records one duration (seconds) of a stage: every bucket it falls under, the sum and the count. */
  async observe(stage: Stage, seconds: number): Promise<void> {
    const v = Math.max(0, seconds);
    const key = this.key(`stage:${stage}`);
    const p = this.redis.pipeline();
    STAGE_BUCKETS.forEach((le, i) => v <= le && p.hincrby(key, `b${i}`, 1));
    p.hincrby(key, 'count', 1);
    p.hincrbyfloat(key, 'sum', v);
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async read(): Promise<CounterValues> {
    const p = this.redis.pipeline();
    p.hgetall(this.key('mails'));
    p.hgetall(this.key('complaints'));
    for (const s of STAGES) p.hgetall(this.key(`stage:${s}`));
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
      stages.set(s, { buckets: [...STAGE_BUCKETS.map((_, b) => Number(h[`b${b}`] ?? 0)), count], sum: Number(h.sum ?? 0), count });
    });
    return { mails, complaints, stages };
  }
}

const counting = new WeakMap<OpsEvents, { users: number; detach(): void }>();

/**
 * Adds this process's ops events to the shared counters. Called by each
 * worker a process starts; listens once per process (so nothing counts
 * twice) until the last of them stops. A failed write is logged, never
 * thrown: metrics must not stop the pipeline.
 */
export function countOpsEvents(events: OpsEvents, counters: DeskCounters, logger: Logger): { close(): void } {
  const existing = counting.get(events);
  if (existing) {
    existing.users++;
  } else {
    const lost = (err: unknown): void => logger.warn({ err }, 'could not update a metric counter in Redis; the figure will be low');
    const secondsSince = (iso: string): number => (Date.now() - Date.parse(iso)) / 1000;
    const on = {
      'mail-sent': (e: { kind: string; receivedAt: string; firstNotice: boolean }) => {
        counters.mail(e.kind, 'sent').catch(lost);
        if (e.kind === 'acknowledgement') counters.observe('acknowledged', secondsSince(e.receivedAt)).catch(lost);
        if (e.firstNotice) counters.observe('notified', secondsSince(e.receivedAt)).catch(lost);
      },
      'mail-refused': (e: { kind: string }) => void counters.mail(e.kind, 'refused').catch(lost),
      'mail-held': (e: { kind: string; why: 'capped' | 'suppressed' }) => void counters.mail(e.kind, e.why).catch(lost),
      'relay-failure': (e: { kind: string }) => void counters.mail(e.kind, 'relay_failed').catch(lost),
      'dead-letter': (e: { kinds: string[] }) => {
        for (const k of e.kinds) counters.mail(k, 'dead_lettered').catch(lost);
      },
      'complaint-triaged': (e: { category: string; priority: string; kind: string; receivedAt: string }) => {
        counters.complaint(e.category, e.priority, e.kind).catch(lost);
        counters.observe('triaged', secondsSince(e.receivedAt)).catch(lost);
      },
    } as const;
    for (const [name, fn] of Object.entries(on)) events.on(name as keyof typeof on, fn as never);
    counting.set(events, {
      users: 1,
      detach: () => {
        for (const [name, fn] of Object.entries(on)) events.off(name as keyof typeof on, fn as never);
      },
    });
  }
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      const c = counting.get(events)!;
      if (--c.users === 0) {
        c.detach();
        counting.delete(events);
      }
    },
  };
}
