import { registrableDomain } from '../directory/names.ts';
import type { Indicator } from './indicator.ts';
import { MAILBOX_PROVIDERS } from './sender-authentication.ts';

/*
 * Roles read from the whole report rather than from one name's mentions:
 * what a person's own words make of the copy they forward, and which named
 * site a look-alike imitates. They run after target-roles.ts has given every
 * name its role. Pure.
 */

/**
 * A person who names what they report in their own words (or the subject)
 * above a forwarded or attached copy: what only the copy names is their
 * evidence (the genuine links a phishing mail carries, a spam's other
 * links). Names the report states and addresses (the mail path's, read by
 * its own rules) stay as they are; when the person names nothing, the
 * copy's names stay reported.
 */
export function copyAsEvidence(indicators: readonly Indicator[], ownText: string, stated: (i: Indicator) => boolean): Indicator[] {
  const own = ownText.toLowerCase();
  // A name counts as named when its registrable domain is ("evil.test" names https://www.evil.test/login too).
  const named = (i: Indicator): boolean => {
    const needle = (i.kind === 'url' || i.kind === 'email' ? i.host : i.value).toLowerCase();
    if (!needle) return false;
    const domain = i.kind === 'ip' ? needle : (registrableDomain(needle) ?? needle);
    return own.includes(needle) || own.includes(domain);
  };
  const open = (i: Indicator): boolean => i.role === 'reported' && !stated(i);
  if (!indicators.some((i) => i.role === 'reported' && named(i))) return [...indicators];
  // An address the copy names is on its mail path (the rules for the path decide it), not a link of its content.
  return indicators.map((i) => (open(i) && i.kind !== 'ip' && !named(i) ? { ...i, role: 'context', roleWhy: "only in the forwarded copy, where the reporter's own words name what they report" } : i));
}

/**
 * In a phishing, fraud or trademark complaint, the genuine site a look-alike
 * imitates: a named site whose name another reported host spells out
 * ("paypal.com" beside "paypal-secure-login.evil.test", "impots.gouv.fr"
 * beside "login-impotsguv-france.….com") is context. Only there: a newsletter
 * sent from one of a company's two domains names the other just so. Names
 * the report states stay as they are. Pure.
 */
export function imitatedSites(indicators: readonly Indicator[], stated: (i: Indicator) => boolean): Indicator[] {
  const hosts = indicators.filter((i) => i.role === 'reported' && i.host && i.kind !== 'ip' && i.kind !== 'account');
  return indicators.map((i) => {
    if (i.role !== 'reported' || stated(i) || !hosts.includes(i)) return i;
    const genuine = registrableDomain(i.host) ?? i.host;
    const brand = lookAlikeBrand(genuine);
    const imitation = brand ? hosts.find((h) => (registrableDomain(h.host) ?? h.host) !== genuine && h.host.toLowerCase().includes(brand)) : undefined;
    return imitation ? { ...i, role: 'context', roleWhy: `the genuine site that ${imitation.host} imitates (it spells out "${brand}")` } : i;
  });
}

// Words that name no one: a host that contains them imitates nobody in particular.
const GENERIC_NAMES = new Set(['login', 'secure', 'account', 'accounts', 'update', 'verify', 'online', 'service', 'services', 'support', 'banking', 'office', 'portal', 'signin', 'client', 'clients', 'customer', 'payment', 'payments', 'track', 'tracking', 'delivery', 'mobile', 'cloud', 'store', 'shop', 'share', 'group', 'global', 'world', 'media', 'email', 'files', 'drive', 'docs', 'google', 'microsoft']);

/** The name a look-alike would spell out: a registrable domain's first label, at least five letters, naming someone. */
function lookAlikeBrand(domain: string): string | null {
  const brand = domain.split('.')[0]!.toLowerCase();
  return /^[a-z0-9]{5,}$/.test(brand) && !GENERIC_NAMES.has(brand) && !MAILBOX_PROVIDERS.has(brand) ? brand : null;
}
