/**
 * The one e-mail address pattern: local part, "@", a domain of labels ending
 * in a letter label; group 1 is the domain. Global, for replace/matchAll.
 *
 * The lookbehind lets a match start only where a run of address characters
 * starts: without it, long runs with no "@" (base64, hashes, hostile text)
 * cost quadratic time, each position rescanning the run. With it every scan
 * is linear in its input.
 */
export const EMAIL_ADDRESS = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}][\p{L}\p{N}-]{0,62})/gu;

/** The domain of an address, lower case: what follows the last "@". */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
