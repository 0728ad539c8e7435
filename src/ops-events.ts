import { EventEmitter } from 'node:events';
import type { DeliveryStage } from './notify/delivery-error.ts';

/** What ops must hear about, as it happens. The ops server wires these to alerts and metrics. */
export interface OpsEventMap {
  /** Our relay path failed (connection, TLS, AUTH, MAIL FROM...): mail is waiting. */
  'relay-failure': [{ caseRef: string; kind: string; stage: DeliveryStage; code?: number; pending: number }];
  /** Mails gave up after delivery.retryForSec and wait in the dead-letter queue. */
  'dead-letter': [{ caseRef: string; mails: number; kinds: string[]; reason: string }];
  /** A job failed for good (stalled too often, or an error no retry fixes). */
  'job-failed': [{ queue: string; jobId: string | undefined; reason: string }];
  /** The case store (PostgreSQL) or our SMTP relay went out (jobs needing it are parked), or came back after outageMs. Once per outage and process. */
  outage: [{ service: 'store' | 'relay'; state: 'down' | 'up'; code?: string; outageMs?: number }];
  /** An SLA breach, warning or resolved alert was queued (grouped). */
  'sla-alert': [{ kind: 'breach' | 'warning' | 'resolved'; count: number }];
  /** A mail was held back: over a cap, or to a suppressed address. */
  'mail-held': [{ caseRef: string; kind: string; reason: string; why: 'capped' | 'suppressed' }];
  /** A mail went out; `receivedAt` is when its complaint reached the mailbox. */
  'mail-sent': [{ kind: string; receivedAt: string; firstNotice: boolean }];
  /** The recipient's server refused a mail for good. */
  'mail-refused': [{ kind: string }];
  /** A complaint was triaged for the first time (not a retry). */
  'complaint-triaged': [{ category: string; priority: string; kind: string; receivedAt: string }];
}

/** One emitter per process, created with the runtime; nothing in the pipeline waits on a listener. */
export class OpsEvents extends EventEmitter<OpsEventMap> {}
