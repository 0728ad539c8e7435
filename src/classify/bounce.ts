import type { ParsedMessage } from '../parse/parsed-message.ts';

export interface OwnBounce {
  /** Recipients the DSN says failed for good (Action: failed). */
  failed: string[];
  /** Our Message-IDs the bounce quotes. */
  messageIds: string[];
}

// Our Message-IDs: <AD-XXXXXXXXXX.kind.hash@our-domain> (see plan-mails mailId).
const OUR_ID = /<([A-Z]{1,6}-[0-9A-Z]{10}\.[a-z-]+\.[0-9a-f]{16})@([^>\s]{1,253})>/g;
const FIELD = /^([A-Za-z-]{1,40})[ \t]*:[ \t]*([^\r\n]{0,500})$/gm;

/**
 * A bounce of our own mail: the Message-IDs of ours it quotes (in the
 * returned message or its headers) and the recipients its delivery-status
 * part reports as failed. A delayed-delivery notice (Action: delayed) or a
 * bounce quoting no Message-ID of ours gives nothing. Pure.
 */
export function readOwnBounce(m: ParsedMessage, ourDomain: string): OwnBounce | null {
  const domain = ourDomain.toLowerCase();
  const quoted = [m.inReplyTo ?? '', ...m.references, m.text.slice(0, 100_000), ...m.attachments.map((a) => (a.text ?? '').slice(0, 100_000))].join('\n');
  const messageIds = [...new Set([...quoted.matchAll(OUR_ID)].filter((x) => x[2]!.toLowerCase() === domain).map((x) => x[1]!))];
  if (!messageIds.length) return null;
  const failed = new Set<string>();
  for (const part of m.attachments.filter((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status')) {
    // Per-recipient blocks are separated by blank lines; the first is per-message.
    for (const block of (part.text ?? '').split(/\r?\n[ \t]*\r?\n/)) {
      const fields = new Map<string, string>();
      for (const f of block.matchAll(FIELD)) fields.set(f[1]!.toLowerCase(), f[2]!.trim());
      const recipient = (fields.get('final-recipient') ?? fields.get('original-recipient') ?? '').replace(/^[^;]*;\s*/, '').replace(/^<|>$/g, '');
      const action = (fields.get('action') ?? '').toLowerCase();
      const status = fields.get('status') ?? '';
      if (recipient.includes('@') && (action === 'failed' || (!action && status.startsWith('5')))) failed.add(recipient.toLowerCase());
    }
  }
  return { failed: [...failed], messageIds };
}
