import { Worker } from 'bullmq';
import { caseRefFor } from '../src/cases/case-ref.ts';
import { CaseStore } from '../src/cases/case-store.ts';
import { readOwnBounce } from '../src/classify/bounce.ts';
import { senderDomain } from '../src/notify/compose.ts';
import { planMails } from '../src/notify/plan-mails.ts';
import { SuppressionList } from '../src/notify/suppression.ts';
import { notifyJobOptions, workerLockOptions } from '../src/queue/job-options.ts';
import { createRedis } from '../src/queue/connection.ts';
import { QUEUES } from '../src/queue/names.ts';
import { logWorkerFailures } from '../src/queue/worker-events.ts';
import type { NotifyJob, TriageJob } from '../src/queue/payloads.ts';
import { createQueues } from '../src/queue/queues.ts';
import type { Runtime } from '../src/runtime.ts';
import { DnsResolver } from '../src/directory/dns-resolver.ts';
import type { Action } from '../src/triage/decision.ts';
import { createAnalysisPool } from '../src/triage/analysis-pool.ts';
import { triageMessage, triageSettings } from '../src/triage/triage-message.ts';

/**
 * Triage worker: decision (pure) → case record → one notify job per case.
 * Every effect is idempotent (case created with NX, notify job id per case),
 * so a retried or duplicated job changes nothing.
 */
export function startTriageWorker(rt: Runtime): { close(): Promise<void> } {
  const { config, logger } = rt;
  const prefix = config.redis.prefix;
  const redis = createRedis({ url: config.redis.url, role: 'client', name: 'triage' });
  const queues = createQueues(config, redis);
  const cases = new CaseStore(redis, prefix);
  const suppression = new SuppressionList(redis, prefix, config.caps.suppressForSec);
  const ourDomain = senderDomain(config.desk.from);
  const dns = config.dns.enabled ? new DnsResolver(config.dns) : null;
  const settings = triageSettings(config);
  const pool = createAnalysisPool(config, logger);

  const workerRedis = createRedis({ url: config.redis.url, role: 'worker', name: 'triage-worker' });
  const worker = new Worker<TriageJob>(
    QUEUES.triage,
    async (job) => {
      const { message, key, receivedAt } = job.data;
      // One directory for the whole job, even if a reload swaps it meanwhile.
      const directory = rt.directory.get();
      const d = await triageMessage(message, directory, settings, dns, pool.analyse);
      if (d.mailKind === 'bounce') {
        // A bounce of our own mail: stop writing to the address that failed.
        const bounce = readOwnBounce(message, ourDomain);
        for (const address of bounce?.failed ?? []) await suppression.add(address, `bounce of ${bounce!.messageIds[0]}`);
        if (bounce?.failed.length) logger.warn({ job: job.id, suppressed: bounce.failed.length, mail: bounce.messageIds[0] }, 'our mail bounced; address suppressed');
      }
      if (!d.isComplaint) {
        logger.info({ job: job.id, kind: d.mailKind }, 'not a complaint; no case opened');
        return { complaint: false, kind: d.mailKind };
      }
      const caseRef = caseRefFor(config.desk.caseRefPrefix, key);
      const mails = planMails(message, d, directory, {
        caseRef,
        receivedAt,
        escalateTo: config.desk.escalateTo,
        noticeExcerptChars: config.limits.noticeExcerptChars,
      });
      const escalation = d.actions.find((a): a is Extract<Action, { kind: 'escalate' }> => a.kind === 'escalate');
      await cases.create({
        ref: caseRef,
        messageKey: key,
        receivedAt,
        category: d.category,
        priority: d.priority,
        automated: d.automated,
        status: escalation ? 'escalated' : d.targets.some((t) => t.customerId) ? 'open' : 'unmatched',
        reporter: (message.replyTo ?? message.from)?.address ?? null,
        targets: d.targets.map((t) => ({ type: t.type, value: t.value, customerId: t.customerId })),
        customerIds: [...new Set(d.targets.flatMap((t) => t.matches.map((m) => m.customerId)))],
        mails: mails.map((m) => ({ id: m.id, kind: m.kind })),
        why: d.why,
      });
      if (mails.length) {
        const payload: NotifyJob = { caseRef, mails };
        await queues.notify.add('deliver', payload, notifyJobOptions(`notify-${caseRef}`));
      }
      const fields = { job: job.id, caseRef, category: d.category, priority: d.priority, targets: d.targets.length, mails: mails.length };
      if (escalation) logger.warn({ ...fields, reason: escalation.reason }, 'case escalated to a human');
      else logger.info(fields, 'complaint triaged');
      return { complaint: true, caseRef };
    },
    { connection: workerRedis, prefix, concurrency: config.workers.triageConcurrency, ...workerLockOptions(config.jobs) },
  );
  logWorkerFailures(worker, logger, 'triage', rt.events);

  return {
    async close() {
      await worker.close();
      await pool.close();
      dns?.close();
      await queues.close();
      await Promise.all([workerRedis.quit(), redis.quit()]).catch(() => undefined);
    },
  };
}
