import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DirectoryBuilder } from '../customer-directory.ts';
import { customerSchema } from '../customer.ts';
import { addCustomer, formatPath } from './add-customer.ts';

/** JSON Lines: one customer object per line (the YAML schema), streamed. */
export async function readJsonlSource(file: string, b: DirectoryBuilder): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (err) {
      b.errors.push(`line ${n}: not JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = customerSchema.safeParse(data);
    if (!parsed.success) {
      for (const i of parsed.error.issues) b.errors.push(`line ${n}: ${formatPath(i.path)}: ${i.message}`);
      continue;
    }
    addCustomer(b, parsed.data, `line ${n}`);
  }
}
