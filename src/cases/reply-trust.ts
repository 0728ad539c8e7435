import { trustedAuthResults } from '../classify/authentication-results.ts';
import { normaliseHost, registrableDomain } from '../directory/names.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import { isCustomerReplyTag } from './reply-address.ts';

/** Why a reply that says it is the customer's may, or may not, change its case. */
export interface ReplyTrust {
  verified: boolean;
  /** What proved it: the case's customer reply address, or our receiving server's DMARC or DKIM result. */
  via: 'reply-address' | 'dmarc' | 'dkim' | null;
  /** In words, for the case's history. */
  why: string;
}

export interface ReplyTrustInput {
  caseRef: string;
  /** The key of the customers' reply addresses (src/notify/reply-address.ts), if the desk has one. */
  replySecret: Buffer | null;
  /** Our own address (desk.from's), whose plus-addresses are the cases'. */
  deskAddress: string;
  /** The customer's contact address, from the directory. */
  customerContact: string | null;
  /** authserv-ids of our own receiving servers (replies.trustedAuthServIds). */
  trustedAuthServIds: readonly string[];
}

const domainOf = (address: string): string => normaliseHost(address.slice(address.lastIndexOf('@') + 1)) ?? '';
const orgDomain = (host: string): string => registrableDomain(host) ?? host;

/** The tags of the case's tagged plus-addresses among the message's recipients (To, Cc, and the envelope's as our server wrote it). */
function replyTags(m: ParsedMessage, caseRef: string, deskAddress: string): string[] {
  const at = deskAddress.lastIndexOf('@');
  const local = deskAddress.slice(0, at).toLowerCase();
  const domain = deskAddress.slice(at + 1).toLowerCase();
  const prefix = `${local}+${caseRef.toLowerCase()}.`;
  const envelope = [...(m.headers['delivered-to'] ?? []), ...(m.headers['x-original-to'] ?? [])].map((v) => v.trim().replace(/^<|>$/g, ''));
  const tags: string[] = [];
  for (const a of [...m.to.map((x) => x.address), ...m.cc.map((x) => x.address), ...envelope].slice(0, 100)) {
    const lower = a.toLowerCase();
    if (lower.startsWith(prefix) && lower.endsWith(`@${domain}`)) tags.push(lower.slice(prefix.length, lower.length - domain.length - 1));
  }
  return tags;
}

/**
 * Whether a reply that presents itself as the customer's (from their
 * contact, or answering their notice) can be trusted to change the case: it
 * reached the case's customer reply address, whose tag only the customer was
 * sent; or our own receiving server's Authentication-Results show DMARC pass
 * for a From in the customer's domain, or a DKIM pass by that domain with the
 * From aligned to it. Anything else is unverified: recorded, shown as such,
 * changing nothing. Pure.
 */
export function replyTrust(m: ParsedMessage, i: ReplyTrustInput): ReplyTrust {
  if (i.replySecret && replyTags(m, i.caseRef, i.deskAddress).some((tag) => isCustomerReplyTag(i.replySecret!, i.caseRef, tag))) {
    return { verified: true, via: 'reply-address', why: "sent to the case's customer reply address" };
  }
  const from = m.from?.address ?? '';
  const contactDomain = i.customerContact ? orgDomain(domainOf(i.customerContact)) : '';
  const fromDomain = from ? domainOf(from) : '';
  if (!contactDomain || !fromDomain || orgDomain(fromDomain) !== contactDomain) {
    return { verified: false, via: null, why: "not sent to the case's customer reply address, and its From is not in the customer's domain" };
  }
  const results = trustedAuthResults(m.headers['authentication-results'] ?? [], i.trustedAuthServIds);
  if (!results.length) {
    const why = i.trustedAuthServIds.length ? 'no Authentication-Results from our receiving server (replies.trustedAuthServIds)' : 'replies.trustedAuthServIds is empty: no Authentication-Results is trusted';
    return { verified: false, via: null, why: `not sent to the case's customer reply address; ${why}` };
  }
  const dmarc = results.find((r) => r.method === 'dmarc' && r.result === 'pass' && orgDomain(normaliseHost(r.props['header.from'] ?? '') ?? '') === contactDomain && (normaliseHost(r.props['header.from'] ?? '') ?? '') === fromDomain);
  if (dmarc) return { verified: true, via: 'dmarc', why: `DMARC pass for ${fromDomain} (our receiving server)` };
  const dkim = results.find((r) => {
    if (r.method !== 'dkim' || r.result !== 'pass') return false;
    const signer = normaliseHost(r.props['header.d'] ?? (r.props['header.i'] ?? '').replace(/^.*@/, '')) ?? '';
    return !!signer && orgDomain(signer) === contactDomain;
  });
  if (dkim) return { verified: true, via: 'dkim', why: `DKIM pass by the customer's domain ${contactDomain}, From aligned (our receiving server)` };
  const seen = results.map((r) => `${r.method}=${r.result}`).join(' ');
  return { verified: false, via: null, why: `not sent to the case's customer reply address; our receiving server shows no DMARC or aligned DKIM pass (${seen.slice(0, 200)})` };
}
