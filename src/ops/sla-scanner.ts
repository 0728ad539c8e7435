import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { scrubbed, type Logger } from '../log.ts';
import type { OpsEvents } from '../ops-events.ts';
import type { Queues } from '../queue/queues.ts';
import type { Config } from '../config/schema.ts';
import { dispatchSlaAlert } from '../queue/dispatch-mails.ts';
import type { SlaAlertJob } from '../queue/payloads.ts';
import { PendingAcks } from './pending-acks.ts';
import { planAlerts, type Alerted } from './sla-alerts.ts';
import type { Priority } from '../config/category-names.ts';
import { alertText, slaFindings, type Finding, type OpenCase, type SlaFindings } from './sla.ts';

/**
 * Open cases old enough for some clock to warn, oldest first: per priority,
 * opened longer ago than warnAt of the shortest limit any clock or category
 * gives that priority (business hours only make deadlines later, so this
 * holds with them too). Everything younger cannot be due.
 */
export async function openCasesForSla(pool: pg.Pool, sla: Config['sla'], now: Date): Promise<OpenCase[]> {
  const overrides = Object.values(sla.categories);
  const shortest = (p: Priority): number =>
    Math.min(sla.noticeSec[p], sla.reviewSec[p], sla.resolveSec[p], ...overrides.flatMap((c) => [c?.noticeSec?.[p], c?.reviewSec?.[p], c?.resolveSec?.[p]]).filter((x): x is number => x !== undefined)) * sla.warnAt;
  const res = await pool.query(
    `SELECT ref, status, priority, category, policy, customer_id, notices_sent, first_notice_at, reviewed_at, opened_at, COALESCE(paused_sec, 0) AS paused_sec FROM cases
     WHERE closed_at IS NULL
       AND opened_at < $1::timestamptz - make_interval(secs => CASE priority WHEN 'urgent' THEN $2::float8 WHEN 'high' THEN $3::float8 WHEN 'normal' THEN $4::float8 ELSE $5::float8 END)
     ORDER BY opened_at LIMIT 10000`,
    [now, shortest('urgent'), shortest('high'), shortest('normal'), shortest('low')],
  );
  return res.rows.map((r) => ({
    ref: r.ref,
    status: r.status,
    priority: r.priority,
    category: r.category,
    policy: r.policy,
    customerId: r.customer_id,
    noticesSent: r.notices_sent,
    firstNoticeAt: r.first_notice_at,
    reviewedAt: r.reviewed_at,
    openedAt: r.opened_at,
    pausedSec: r.paused_sec,
  }));
}

export interface SlaDeps {
  config: Readonly<Config>;
  redis: Redis;
  pool: pg.Pool;
  queues: Queues;
  logger: Logger;
  events: OpsEvents;
}

/** The SLA clocks now: the acknowledgement clock from Redis, the case clocks from the open cases that may be due. */
export async function readSla(d: Pick<SlaDeps, 'config' | 'redis' | 'pool'>, now = new Date()): Promise<SlaFindings> {
  const sla = d.config.sla;
  const [acks, cases] = await Promise.all([new PendingAcks(d.redis, d.config.redis.prefix).read(sla.acknowledgeSec, sla.warnAt, now.getTime()), openCasesForSla(d.pool, sla, now)]);
  return slaFindings(acks, cases, sla, now);
}

/**
 * Checks the SLA every sla.scanIntervalMs. Any number of processes may run
 * it; one scans at a time (a lock in Redis), and what was alerted lives in
 * Redis, so every finding (a clock of a case, or the complaints not yet
 * acknowledged) is followed on its own: a new breach is alerted at the next
 * scan whatever was alerted before, an alerted one again every
 * sla.realertSec, a breach that ended gets a "resolved" message; everything
 * new at one scan shares one alert (500 breaches, one mail). Alerts go out
 * through the alerts queue and its own worker (by mail to sla.alertTo or
 * desk.escalateTo, and to sla.webhook), not through the notify queue: they
 * must arrive when the notify workers are the problem.
 */
export function startSlaScanner(d: SlaDeps): { close(): void } {
  const { config, logger, redis } = d;
  const sla = config.sla;
  const prefix = config.redis.prefix;
  const stateKey = `${prefix}:sla:alerted`;
  const lockKey = `${prefix}:sla:scan-lock`;
  const me = randomUUID();
  let running = false;
  // Since when the checks fail (a store or Redis outage): logged at its start and end, not every second.
  let failingSince: number | null = null;

  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    let locked = false;
    try {
      // One scanner at a time across processes; a crashed one's lock expires.
      locked = (await redis.set(lockKey, me, 'PX', Math.max(10_000, sla.scanIntervalMs * 5), 'NX')) === 'OK';
      if (!locked) return;
      const now = new Date();
      const found = await readSla(d, now);
      if (failingSince !== null) {
        logger.warn({ failedForMs: Date.now() - failingSince }, 'SLA checks work again');
        failingSince = null;
      }
      const before = new Map(Object.entries(await redis.hgetall(stateKey)).map(([k, v]) => [k, JSON.parse(v) as Alerted]));
      const plan = planAlerts(found, before, now.getTime(), sla.realertSec * 1000);
      const sends: Array<['breach' | 'warning' | 'resolved', Finding[], Set<Finding>]> = [];
      if (plan.breach) sends.push(['breach', plan.breach.findings, plan.breach.fresh]);
      if (plan.warning) sends.push(['warning', plan.warning.findings, plan.warning.fresh]);
      if (plan.resolved.length) sends.push(['resolved', plan.resolved, new Set()]);
      for (const [kind, findings, fresh] of sends) await queueAlert(kind, findings, fresh, now);
      // What was alerted, for the next scan (and the next process to scan): only what changed is written.
      const changed = [...plan.next].filter(([k, v]) => before.get(k)?.lastAt !== v.lastAt || before.get(k)?.kind !== v.kind);
      const gone = [...before.keys()].filter((k) => !plan.next.has(k));
      if (changed.length || gone.length) {
        const p = redis.multi();
        if (changed.length) p.hset(stateKey, Object.fromEntries(changed.map(([k, v]) => [k, JSON.stringify(v)])));
        if (gone.length) p.hdel(stateKey, ...gone);
        await p.exec();
      }
    } catch (err) {
      if (failingSince === null) {
        failingSince = Date.now();
        logger.error({ err: scrubbed(err) }, 'SLA check failed; tried again every sla.scanIntervalMs, logged again when it works');
      } else logger.debug({ err: scrubbed(err) }, 'SLA check failed again');
    } finally {
      if (locked) await redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, lockKey, me).catch(() => undefined);
      running = false;
    }
  };

  const queueAlert = async (kind: 'breach' | 'warning' | 'resolved', findings: Finding[], fresh: Set<Finding>, now: Date): Promise<void> => {
    const id = `sla-${kind}-${now.getTime()}-${randomUUID().slice(0, 8)}`;
    const text = alertText(kind, findings, config.desk.name, fresh);
    const first = [...fresh][0] ?? findings[0]!;
    const label = kind === 'resolved' ? 'resolved' : `${kind}${fresh.size ? `: ${fresh.size} new` : ': still'}`;
    const subject = `[abuse-desk] SLA ${label} (${first.clock} ${first.subject})`;
    const count = findings.reduce((n, f) => n + (f.clock === 'acknowledge' && kind !== 'resolved' ? (f.count ?? 1) : 1), 0);
    const job: SlaAlertJob = { id, alert: kind, subject, text, count, worst: findings.slice(0, 10) };
    await dispatchSlaAlert(d.queues, job);
    logger.error({ kind, count, fresh: fresh.size, clocks: [...new Set(findings.map((f) => f.clock))] }, `SLA ${kind}`);
    d.events.emit('sla-alert', { kind, count });
  };

  const timer = setInterval(() => void tick(), sla.scanIntervalMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
