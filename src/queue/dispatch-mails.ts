import type { MailIntent } from '../notify/mail-intent.ts';
import { notifyJobOptions } from './job-options.ts';
import type { DeadLetterJob, SlaAlertJob } from './payloads.ts';
import type { Queues } from './queues.ts';

/**
 * The one place mails are queued (with dispatchSlaAlert below): escalations to a person go to the alerts
 * queue (their own worker: they leave while customer mail is stalled), the
 * rest to the notify queue. Job ids derive from `jobId`, so queueing the same
 * mails again changes nothing. An urgent case's mails go first (LIFO).
 */
export async function dispatchMails(queues: Queues, mails: readonly MailIntent[], jobId: string, urgent = false): Promise<void> {
  const escalations = mails.filter((m) => m.kind === 'escalation');
  const rest = mails.filter((m) => m.kind !== 'escalation');
  if (rest.length) await queues.notify.add('deliver', { caseRef: rest[0]!.caseRef, mails: rest }, notifyJobOptions(jobId, urgent || rest.some((m) => m.priority === 'urgent')));
  if (escalations.length) await queues.alerts.add('escalation', { caseRef: escalations[0]!.caseRef, mails: escalations }, notifyJobOptions(`alert-${jobId}`, true));
}

/** An SLA alert (breach, warning, resolved) to the alerts queue, ahead of everything else there; its id is the alert's. */
export async function dispatchSlaAlert(queues: Queues, job: SlaAlertJob): Promise<void> {
  await queues.alerts.add('sla', { sla: job }, notifyJobOptions(job.id, true));
}

/** Mails that could not be sent within delivery.retryForSec, kept for `abuse-desk mail retry-dead`; one dead letter per job. */
export async function dispatchDeadLetter(queues: Queues, dead: DeadLetterJob, jobId: string): Promise<void> {
  await queues.deadLetter.add('dead', dead, { jobId: `dead-${dead.caseRef}-${jobId}` });
}
