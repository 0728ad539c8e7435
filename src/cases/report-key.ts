import { createHash } from 'node:crypto';

/** The message key (msg-<32 hex>) as the uuid it is stored as; any other key is hashed to one. */
export function keyUuid(messageKey: string): string {
  const hex = /^msg-[0-9a-f]{32}$/.test(messageKey) ? messageKey.slice(4) : createHash('sha256').update(messageKey).digest('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
