import type { ParsedMessage } from '../parse/parsed-message.ts';

export interface CaseReference {
  ref: string;
  /** Where the reference was found: our Message-ID in the thread (with the kind of mail answered), or the subject. */
  via: 'thread' | 'address' | 'subject';
  kind?: string;
  /** The tag of a customer's reply address (abuse+REF.TAG@…) among the recipients; checked by reply-trust.ts. */
  tag?: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The case a message answers, if any: one of our Message-IDs in In-Reply-To
 * or References (ids look like <AD-2026-000123#1.notice.0123456789abcdef@our.domain>),
 * else our plus-address among the recipients (abuse+AD-2026-000123@our.domain),
 * else a bracketed reference in the subject ("Re: [AD-2026-000123] …"). Pure;
 * each search is one linear scan.
 */
export function caseReferenceIn(m: ParsedMessage, prefix: string, ourDomain: string): CaseReference | null {
  const ref = `${escape(prefix)}-\\d{4}-\\d{6,12}`;
  const ours = new RegExp(`^<?(${ref})(?:#[\\w-]+)?\\.([a-z]+)\\.[0-9a-f]{16}@${escape(ourDomain)}>?$`, 'i');
  // Our plus-address (abuse+AD-2026-000123@…, a customer's with a tag: abuse+AD-2026-000123.TAG@…), set as Reply-To when desk.replyToCase is on.
  const plus = new RegExp(`^[^@+\\s]+\\+(${ref})(?:\\.([a-z0-9]{1,32}))?@${escape(ourDomain)}$`, 'i');
  let address: CaseReference | null = null;
  for (const a of [...m.to, ...m.cc].slice(0, 100)) {
    const hit = plus.exec(a.address.slice(0, 300));
    if (hit) {
      address = { ref: hit[1]!.toUpperCase(), via: 'address', ...(hit[2] ? { tag: hit[2].toLowerCase() } : {}) };
      break;
    }
  }
  for (const id of [m.inReplyTo ?? '', ...m.references].slice(0, 50)) {
    const hit = ours.exec(id.trim().slice(0, 300));
    if (hit) {
      const ref = hit[1]!.toUpperCase();
      return { ref, via: 'thread', kind: hit[2]!.toLowerCase(), ...(address?.ref === ref && address.tag ? { tag: address.tag } : {}) };
    }
  }
  if (address) return address;
  const subject = new RegExp(`\\[(${ref})\\]`, 'i').exec(m.subject.slice(0, 1000));
  return subject ? { ref: subject[1]!.toUpperCase(), via: 'subject' } : null;
}
