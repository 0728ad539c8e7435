import { readOwnBounce } from '../classify/bounce.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import type { SuppressionList } from './suppression.ts';

/**
 * A bounce of our own mail: stop writing to the addresses that failed (for
 * caps.suppressForSec). Someone else's bounce, or a delay notice, suppresses
 * nothing. Returns what was suppressed, or null.
 */
export async function suppressBounced(m: ParsedMessage, ourDomain: string, suppression: SuppressionList): Promise<{ suppressed: number; messageId: string | undefined } | null> {
  const bounce = readOwnBounce(m, ourDomain);
  if (!bounce?.failed.length) return null;
  for (const address of bounce.failed) await suppression.add(address, `bounce of ${bounce.messageIds[0]}`);
  return { suppressed: bounce.failed.length, messageId: bounce.messageIds[0] };
}
