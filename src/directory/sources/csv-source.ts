import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { DirectoryBuilder } from '../customer-directory.ts';
import { customerSchema } from '../customer.ts';
import { addCustomer, formatPath } from './add-customer.ts';

export const CSV_COLUMNS = ['id', 'name', 'email', 'language', 'domains', 'servers', 'accounts'] as const;

const list = (cell: string | undefined): string[] => (cell ?? '').split(/[\s;]+/).filter(Boolean);

/**
 * CSV with a header row: id,name,email,language,domains,servers,accounts; the
 * last three hold several values separated by spaces or semicolons. Streamed.
 */
export async function readCsvSource(file: string, b: DirectoryBuilder): Promise<void> {
  const parser = createReadStream(file).pipe(parse({ columns: true, skip_empty_lines: true, trim: true, relax_column_count: false }));
  let n = 1;
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      n++;
      if (n === 2) {
        const missing = CSV_COLUMNS.filter((c) => !(c in row));
        if (missing.length) {
          b.errors.push(`header: missing column(s) ${missing.join(', ')}; expected ${CSV_COLUMNS.join(',')}`);
          return;
        }
      }
      const parsed = customerSchema.safeParse({
        id: row.id,
        name: row.name,
        contact: { email: row.email, language: row.language || undefined },
        domains: list(row.domains),
        servers: list(row.servers),
        accounts: list(row.accounts),
      });
      if (!parsed.success) {
        for (const i of parsed.error.issues) b.errors.push(`line ${n}: ${formatPath(i.path).replace(/^contact\./, '')}: ${i.message}`);
        continue;
      }
      addCustomer(b, parsed.data, `line ${n}`);
    }
  } catch (err) {
    b.errors.push(`line ${n + 1}: ${(err as Error).message}`);
  }
}
