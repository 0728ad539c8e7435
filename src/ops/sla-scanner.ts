import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { scrubbed, type Logger } from '../log.ts';
import { senderAddress, senderDomain } from '../notify/compose.ts';
import { buildRaw } from '../notify/mime.ts';
import type { MailSender } from '../notify/smtp-sender.ts';
import type { OpsEvents } from '../ops-events.ts';
import type { Queues } from '../queue/queues.ts';
import type { Config } from '../config/schema.ts';
import { queueStates } from './desk-state.ts';
import type { Priority } from '../classify/category-names.ts';
import { alertText, slaFindings, type Finding, type OpenCase } from './sla.ts';

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
    `SELECT ref, status, priority, category, policy, customer_id, notices_sent, opened_at, COALESCE(paused_sec, 0) AS paused_sec FROM cases
     WHERE closed_at IS NULL
       AND opened_at < $1::timestamptz - make_interval(secs => CASE priority WHEN 'urgent' THEN $2::float8 WHEN 'high' THEN $3::float8 WHEN 'normal' THEN $4::float8 ELSE $5::float8 END)
     ORDER BY opened_at LIMIT 10000`,
    [now, shortest('urgent'), shortest('high'), shortest('normal'), shortest('low')],
  );
  return res.rows.map((r) => ({ ref: r.ref, status: r.status, priority: r.priority, category: r.category, policy: r.policy, customerId: r.customer_id, noticesSent: r.notices_sent, openedAt: r.opened_at, pausedSec: r.paused_sec }));
}

export interface SlaDeps {
  config: Readonly<Config>;
  redis: Redis;
  pool: pg.Pool;
  queues: Queues;
  sender: MailSender;
  logger: Logger;
  events: OpsEvents;
}

/**
 * Checks the SLA every sla.scanIntervalMs. Any number of processes may run
 * it: a breach alert (and a warning) goes out at most once per
 * sla.realertSec across all of them, through a key set in Redis with NX,
 * and it groups everything breached at that moment into one mail and one
 * webhook call. Alerts go straight to the relay, not through the notify
 * queue: they must arrive when the notify workers are the problem.
 */
export function startSlaScanner(d: SlaDeps): { close(): void } {
  const { config, logger } = d;
  const sla = config.sla;
  let running = false;
  // Since when the checks fail (a store or Redis outage): logged at its start and end, not every second.
  let failingSince: number | null = null;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const now = new Date();
      // Only what the clocks read: the queues' oldest jobs and the open cases that may be due.
      const [queues, cases] = await Promise.all([queueStates(d.queues, now.getTime()), openCasesForSla(d.pool, sla, now)]);
      if (failingSince !== null) {
        logger.warn({ failedForMs: Date.now() - failingSince }, 'SLA checks work again');
        failingSince = null;
      }
      const found = slaFindings(queues, cases, sla, now);
      if (found.breaches.length) await alertOnce('breach', found.breaches);
      if (found.warnings.length) await alertOnce('warning', found.warnings);
    } catch (err) {
      if (failingSince === null) {
        failingSince = Date.now();
        logger.error({ err: scrubbed(err) }, 'SLA check failed; tried again every sla.scanIntervalMs, logged again when it works');
      } else logger.debug({ err: scrubbed(err) }, 'SLA check failed again');
    } finally {
      running = false;
    }
  };
  const alertOnce = async (kind: 'breach' | 'warning', findings: Finding[]): Promise<void> => {
    const key = `${config.redis.prefix}:sla:${kind}`;
    if ((await d.redis.set(key, new Date().toISOString(), 'PX', sla.realertSec * 1000, 'NX')) !== 'OK') return;
    const text = alertText(kind, findings, config.desk.name);
    logger.error({ kind, count: findings.length, clocks: [...new Set(findings.map((f) => f.clock))] }, `SLA ${kind}`);
    d.events.emit('sla-alert', { kind, count: findings.length });
    const to = sla.alertTo || config.desk.escalateTo;
    const sends: Array<Promise<unknown>> = [];
    if (to) {
      const mail = {
        from: config.desk.from,
        to,
        subject: `[abuse-desk] SLA ${kind}: ${findings.length} (${findings[0]!.clock} ${findings[0]!.subject})`,
        text: `${text}\n`,
        messageId: `<sla-${kind}-${randomUUID()}@${senderDomain(config.desk.from)}>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      };
      sends.push(d.sender.send({ from: senderAddress(config.desk.from), to: [to] }, buildRaw(mail)));
    }
    if (sla.webhook) {
      sends.push(
        fetch(sla.webhook, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text, kind, count: findings.length, worst: findings.slice(0, 10) }),
          signal: AbortSignal.timeout(5000),
        }).then((r) => {
          if (!r.ok) throw new Error(`webhook answered ${r.status}`);
        }),
      );
    }
    for (const r of await Promise.allSettled(sends)) if (r.status === 'rejected') logger.error({ err: r.reason }, `SLA ${kind} alert could not be delivered`);
  };
  const timer = setInterval(() => void tick(), sla.scanIntervalMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
