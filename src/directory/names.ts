import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';

/** Lower-case ASCII (punycode) form of a host name, without a trailing dot; null if it is not one. */
export function normaliseHost(host: string): string | null {
  const trimmed = host.trim().replace(/\.$/, '');
  if (!trimmed || trimmed.length > 253) return null;
  const ascii = domainToASCII(trimmed.toLowerCase());
  return ascii || null;
}

/**
 * The registrable domain of a host name, from the Public Suffix List (private
 * suffixes such as github.io count, so user.github.io is its own domain).
 * Names under an unlisted TLD fall back to their last two labels.
 */
export function registrableDomain(host: string): string | null {
  const parsed = parseDomain(host, { allowPrivateDomains: true });
  return parsed.domain ?? null;
}

/** Account handles compare case-insensitively after Unicode normalisation (NFKC). */
export function normaliseAccount(handle: string): string {
  return handle.trim().replace(/^@/, '').normalize('NFKC').toLowerCase();
}
