import ipaddr from 'ipaddr.js';

// Every form ipaddr.js reads as IPv4 (dotted, one to four parts, decimal,
// octal or 0x hex) is made of these characters; an IPv6 address has a colon.
const IPV4_CHARS = /^[\da-fx.]+$/i;

/**
 * Whether a string is an IP address, as ipaddr.js reads it. ipaddr.js says
 * "no" by throwing inside (a stack trace per host name, 15% of a complaint's
 * analysis); the strings asked about are mostly host names, which their
 * characters rule out first.
 */
export function isIpAddress(s: string): boolean {
  return (IPV4_CHARS.test(s) || s.includes(':')) && ipaddr.isValid(s);
}

/** An IP address in its canonical form (IPv4-mapped IPv6 as IPv4), or null when the string is none. */
export function canonicalIp(s: string): string | null {
  return isIpAddress(s) ? ipaddr.process(s).toString() : null;
}

/** Whether a string is an IPv4 address, as ipaddr.js reads it (see isIpAddress). */
export function isIPv4Address(s: string): boolean {
  return IPV4_CHARS.test(s) && ipaddr.IPv4.isValid(s);
}
