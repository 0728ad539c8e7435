import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { DirectoryBuilder } from '../customer-directory.ts';
import { directoryFileSchema } from '../customer.ts';
import { addCustomer, formatPath } from './add-customer.ts';

/** A YAML or JSON file: `customers: [...]`, validated as a whole. */
export async function readYamlSource(file: string, b: DirectoryBuilder): Promise<void> {
  const data: unknown = parseYaml(await readFile(file, 'utf8'));
  const parsed = directoryFileSchema.safeParse(data);
  if (!parsed.success) {
    for (const i of parsed.error.issues) b.errors.push(`${formatPath(i.path)}: ${i.message}`);
    return;
  }
  parsed.data.customers.forEach((c, i) => addCustomer(b, c, `customers[${i}]`));
}
