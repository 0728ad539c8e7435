import { createHash } from 'node:crypto';

/**
 * The identity of a message across mailboxes and UIDVALIDITY changes:
 * Message-ID plus a hash of its bytes. Used as the triage job id, so the same
 * message seen twice (a poller restart, a re-created mailbox) is one job.
 */
export function messageKey(messageId: string | null, sha256: string): string {
  const h = createHash('sha256').update(`${messageId ?? ''}\n${sha256}`).digest('hex');
  return `msg-${h.slice(0, 32)}`;
}
