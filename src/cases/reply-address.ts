import { createHmac } from 'node:crypto';

/**
 * The addresses our mails ask to be answered at (desk.replyToCase). A
 * reporter answers at the case's plus-address, abuse+AD-2026-000123@…; a
 * customer at one with a tag only they were sent, abuse+AD-2026-000123.TAG@…,
 * the tag an HMAC of the case reference under the desk's secret. A reply that
 * arrives there came from someone who holds the customer's notice: it may
 * change the case. Anyone can write the plain plus-address, or a customer's
 * From. Pure.
 */

const TAG_CHARS = 'abcdefghijkmnpqrstuvwxyz23456789';
export const REPLY_TAG_LENGTH = 12;

/** The customer's tag for a case: 12 characters (60 bits), lower case, no look-alikes. */
export function customerReplyTag(secret: Buffer, caseRef: string): string {
  const mac = createHmac('sha256', secret).update(`customer-reply:${caseRef.toUpperCase()}`).digest();
  let tag = '';
  for (let i = 0; i < REPLY_TAG_LENGTH; i++) tag += TAG_CHARS[mac[i]! & 31];
  return tag;
}

/** abuse+AD-2026-000123@example.net for the desk's abuse@example.net (the reporter's reply address). */
export function casePlusAddress(address: string, caseRef: string, tag?: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${caseRef}${tag ? `.${tag}` : ''}${address.slice(at)}`;
}

/** Whether `tag` is the customer's tag of the case (constant time). */
export function isCustomerReplyTag(secret: Buffer, caseRef: string, tag: string): boolean {
  const want = customerReplyTag(secret, caseRef);
  if (tag.length !== want.length) return false;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= want.charCodeAt(i) ^ tag.toLowerCase().charCodeAt(i);
  return diff === 0;
}
