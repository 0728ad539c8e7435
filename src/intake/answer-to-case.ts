import type { CaseLink } from '../cases/plan-report.ts';
import type { CaseReference } from '../cases/replies.ts';
import { splitForward } from '../classify/forwards.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';

/**
 * What a complaint that carries one of our case references is to that case:
 * presented as the customer's answer (it came from their contact, answers a
 * notice or a statement of reasons, or reached the case's tagged reply
 * address), with their own words above any quoted mail; anyone else's
 * follow-up, which joins the case; or nothing, the case being closed. Whether
 * a customer's answer is believed is reply-trust's to say. Pure.
 */
export function answerToCase(
  m: ParsedMessage,
  answered: CaseReference,
  c: { closed: boolean; link: CaseLink },
  customerContact: string | undefined,
): { as: 'customer'; words: string } | { as: 'follow-up'; link: CaseLink } | { as: 'none' } {
  if (c.closed) return { as: 'none' };
  const sender = (m.replyTo ?? m.from)?.address.toLowerCase();
  if ((customerContact && sender === customerContact) || answered.kind === 'notice' || answered.kind === 'statement' || answered.tag !== undefined) {
    return { as: 'customer', words: splitForward(m.text).own.trim().slice(0, 4000) };
  }
  return { as: 'follow-up', link: c.link };
}
