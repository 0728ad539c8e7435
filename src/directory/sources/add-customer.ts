import type { DirectoryBuilder } from '../customer-directory.ts';
import type { Customer } from '../customer.ts';

/** Feeds one validated customer and all its entries to the builder. */
export function addCustomer(b: DirectoryBuilder, c: Customer, where: string): void {
  const idx = b.addCustomer({ id: c.id, name: c.name, contact: { email: c.contact.email, language: c.contact.language } }, where);
  if (idx < 0) return;
  for (const d of c.domains) b.addDomain(idx, d, `${where} (${c.id})`);
  for (const s of c.servers) b.addServer(idx, s, `${where} (${c.id})`);
  for (const a of c.accounts) b.addAccount(idx, a, `${where} (${c.id})`);
}

/** "customers[3].contact.email" from a zod path. */
export function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('') || '(top level)';
}
