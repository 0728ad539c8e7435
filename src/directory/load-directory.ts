import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CustomerDirectory } from './customer-directory.ts';
import { directoryFileSchema } from './customer.ts';

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

/** Builds a directory from the data of a customers file; errors name the customer and key. */
export function directoryFromData(data: unknown, source: string): CustomerDirectory {
  const parsed = directoryFileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`);
    throw new DirectoryError(`customer directory ${source} is invalid:\n${lines.join('\n')}`);
  }
  try {
    return new CustomerDirectory(parsed.data.customers);
  } catch (err) {
    throw new DirectoryError(`customer directory ${source}: ${(err as Error).message}`);
  }
}

/** Reads a YAML or JSON customers file (`customers: [...]`). */
export function loadDirectoryFile(file: string): CustomerDirectory {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DirectoryError(`cannot read customer directory ${file} (directory.file): ${(err as Error).message}`);
  }
  return directoryFromData(data, file);
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('') || '(top level)';
}
