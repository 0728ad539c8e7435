import { domainToASCII } from 'node:url';
import { getDomain } from 'tldts';

/** Lower-case ASCII (punycode) form of a host name, without a trailing dot; null if it is not one. */
export function normaliseHost(host: string): string | null {
  const trimmed = host.trim().replace(/\.$/, '');
  if (!trimmed || trimmed.length > 253) return null;
  // Lower-case ASCII names are already in their final form (the usual case).
  if (/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(trimmed) && !trimmed.includes('..') && !/(^|\.)xn--/.test(trimmed)) return trimmed;
  const ascii = domainToASCII(trimmed.toLowerCase());
  return ascii || null;
}

/**
 * The registrable domain of a host name, from the Public Suffix List (private
 * suffixes such as github.io count, so user.github.io is its own domain).
 * Names under an unlisted TLD fall back to their last two labels.
 */
export function registrableDomain(host: string): string | null {
  // Our callers pass a bare host name, so tldts need not extract or validate one.
  return getDomain(host, { allowPrivateDomains: true, extractHostname: false, validateHostname: false });
}

/** Account handles compare case-insensitively after Unicode normalisation (NFKC). */
export function normaliseAccount(handle: string): string {
  return handle.trim().replace(/^@/, '').normalize('NFKC').toLowerCase();
}
