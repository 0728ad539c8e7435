/** Queue names, in pipeline order. Each has exactly one worker kind, except dead-letter, which ops empty. */
export const QUEUES = {
  triage: 'triage',
  notify: 'notify',
  /** Escalations to a person and the desk's own SLA alerts: a lane of their own, so they leave while customer mail is stalled. */
  alerts: 'alerts',
  /** Mails that could not be sent within delivery.retryForSec; `abuse-desk mail retry-dead` sends them again. */
  deadLetter: 'dead-letter',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
