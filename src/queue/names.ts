/** Queue names, in pipeline order. Each has exactly one worker kind. */
export const QUEUES = {
  triage: 'triage',
  notify: 'notify',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
