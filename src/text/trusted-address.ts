import { domainOf } from './email-address.ts';

/** Whether an address is on a list of addresses and domains (a domain covers its subdomains). Pure. */
export function isTrusted(address: string, trusted: readonly string[]): boolean {
  const a = address.toLowerCase();
  const domain = domainOf(a);
  return trusted.some((t) => {
    const x = t.toLowerCase();
    return x.includes('@') ? x === a : domain === x || domain.endsWith(`.${x}`);
  });
}
