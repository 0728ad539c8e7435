import type { Job } from 'bullmq';
import type { CaseStore } from '../src/cases/case-store.ts';
import { scrubbed } from '../src/log.ts';
import { senderAddress, senderDomain } from '../src/notify/compose.ts';
import { classifyDeliveryError } from '../src/notify/delivery-error.ts';
import { buildRaw } from '../src/notify/mime.ts';
import { QUEUES } from '../src/queue/names.ts';
import type { AlertJob, SlaAlertJob } from '../src/queue/payloads.ts';
import type { Runtime } from '../src/runtime.ts';
import { startMailWorker, type MailContext } from './mail-worker.ts';

class AlertNotDelivered extends Error {
  override name = 'AlertNotDelivered';
}

/**
 * Alerts worker: escalations to a person and the desk's SLA alerts, on a
 * queue and SMTP connection of their own, so they go out while customer mail
 * is stalled (the notify workers down or far behind). Every triage process
 * runs one, as it runs the SLA scanner; `abuse-desk worker alerts` runs one
 * alone.
 */
export function startAlertsWorker(rt: Runtime, cases?: CaseStore): Promise<{ close(): Promise<void> }> {
  return startMailWorker(rt, {
    ...(cases ? { cases } : {}),
    queue: QUEUES.alerts,
    name: 'alerts',
    concurrency: 2,
    maxConnections: 1,
    process: (ctx, job, token) => {
      const data = (job as Job<AlertJob>).data;
      return data.sla ? sendSlaAlert(rt, ctx, job, token, data.sla) : ctx.deliver(job, token, data.caseRef, data.mails);
    },
  });
}

/**
 * One grouped SLA alert: a JSON POST to sla.webhook (`{"text": …}`, shown
 * as is by Slack and Mattermost) and a mail to sla.alertTo (or
 * desk.escalateTo). Each is recorded in the sent ledger once done, so a
 * retry repeats neither; the webhook does not wait for the mail (the relay
 * may be what is failing), and a mail our relay cannot take waits for it
 * like any other, parked until it answers.
 */
async function sendSlaAlert(rt: Runtime, ctx: MailContext, job: Job, token: string | undefined, a: SlaAlertJob): Promise<{ webhook: boolean; mail: boolean }> {
  const { config, logger } = rt;
  const { ledger, sender } = ctx.deps;
  const to = config.sla.alertTo || config.desk.escalateTo;
  const hookId = `${a.id}.webhook`;
  const known = await ledger.outcomes([a.id, hookId]);
  let webhookFailed: unknown = null;
  if (config.sla.webhook && !known.has(hookId)) {
    try {
      const res = await fetch(config.sla.webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: a.text, kind: a.alert, count: a.count, worst: a.worst, id: a.id }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
      await ledger.record(hookId, 'sent');
    } catch (err) {
      webhookFailed = err;
      logger.warn({ alert: a.id, err: scrubbed(err) }, 'SLA alert webhook failed; retried');
    }
  }
  // Past delivery.retryForSec a mail our relay keeps failing is given up (logged); before, it waits for the relay.
  const expired = Date.now() >= job.timestamp + config.delivery.retryForSec * 1000;
  const waitForRelay = (): Promise<never> | null => (expired ? null : ctx.park(job, token, ctx.relayGate));
  if (to && !known.has(a.id)) {
    if (ctx.relayGate.down && !expired) {
      if (!webhookFailed) return waitForRelay()!;
    } else {
      const raw = buildRaw({
        from: config.desk.from,
        to,
        subject: a.subject,
        text: `${a.text}\n`,
        messageId: `<${a.id}@${senderDomain(config.desk.from)}>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
      try {
        await sender.send({ from: senderAddress(config.desk.from), to: [to] }, raw, () => ledger.handedOver(a.id));
        await ledger.record(a.id, 'sent');
        rt.events.emit('mail-sent', { kind: 'sla-alert', receivedAt: new Date(job.timestamp).toISOString(), firstNotice: false });
      } catch (err) {
        const c = classifyDeliveryError(err);
        if (c.failure === 'refused') {
          await ledger.record(a.id, 'rejected');
          logger.error({ alert: a.id, code: c.code }, "SLA alert mail refused by the recipient's server (sla.alertTo); not retried");
        } else {
          await ledger.retract(a.id);
          if (c.failure === 'relay') ctx.relayGate.report(err);
          if (expired) logger.error({ alert: a.id, err: scrubbed(err) }, 'SLA alert mail not sent within delivery.retryForSec; given up');
          else if (!webhookFailed) return waitForRelay()!;
          else webhookFailed = err;
        }
      }
    }
  }
  if (webhookFailed) throw new AlertNotDelivered(`SLA alert ${a.id} not delivered yet: ${scrubbed(webhookFailed)}`);
  return { webhook: !!config.sla.webhook, mail: !!to };
}
