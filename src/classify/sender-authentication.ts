import { registrableDomain } from '../directory/names.ts';

// What the receiving side's checks, copied with the mail, say of its sender's domain.
export const SPF_FAIL = /spf=(?:soft)?fail\b[^;\n]{0,200}?smtp\.mailfrom=(?:[^@\s;]{0,64}@)?([a-z0-9.-]{1,253})/g;
export const RECEIVED_SPF_FAIL = /received-spf:\s*(?:soft)?fail\b[^\n]{0,200}?domain of\s+(?:transitioning\s+)?(?:[^@\s]{0,64}@)?([a-z0-9.-]{1,253})/g;
export const DMARC_FAIL = /dmarc=fail\b[^;\n]{0,200}?header\.from=([a-z0-9.-]{1,253})/g;
export const DKIM_PASS = /dkim=pass\b[^;\n]{0,200}?header\.[di]=@?([a-z0-9.-]{1,253})/g;

/** Registrable domains whose SPF or DMARC check failed in the copied mail's headers, unless DKIM passed for them. */
export function forgedSenders(lower: string): Set<string> {
  const domainsOf = (re: RegExp): string[] => [...lower.matchAll(re)].map((m) => registrableDomain(m[1]!.replace(/\.$/, '')) ?? m[1]!);
  const passed = new Set(domainsOf(DKIM_PASS));
  return new Set([...domainsOf(SPF_FAIL), ...domainsOf(RECEIVED_SPF_FAIL), ...domainsOf(DMARC_FAIL)].filter((d) => !passed.has(d)));
}

// Mail providers whose users are anyone: their name says nothing of who a reporter is.
export const MAILBOX_PROVIDERS = new Set(['gmail', 'googlemail', 'yahoo', 'hotmail', 'outlook', 'live', 'msn', 'aol', 'icloud', 'gmx', 'protonmail', 'proton', 'mail', 'yandex', 'orange', 'free', 'laposte', 'sfr', 'web', 'zoho', 'fastmail']);

/** A reporter domain's name without its suffix ("tier" for tier.net), when it names someone: at least four characters, not a mailbox provider. */
export function brandOf(domain: string): string | null {
  const registrable = registrableDomain(domain) ?? domain;
  const brand = registrable.split('.')[0]!.toLowerCase().replace(/[^a-z0-9]/g, '');
  return brand.length >= 4 && !MAILBOX_PROVIDERS.has(brand) ? brand : null;
}
