import { extname } from 'node:path';
import type { Config } from '../config/schema.ts';
import { CustomerDirectory, DirectoryBuilder } from './customer-directory.ts';
import { directoryFileSchema } from './customer.ts';
import { addCustomer, formatPath } from './sources/add-customer.ts';
import { readCsvSource } from './sources/csv-source.ts';
import { readJsonlSource } from './sources/jsonl-source.ts';
import { readPostgresSource } from './sources/postgres-source.ts';
import { readYamlSource } from './sources/yaml-source.ts';
import { withoutCredentials } from '../config/url-credentials.ts';

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

export type SourceKind = 'yaml' | 'jsonl' | 'csv' | 'postgres';

/** Where the directory comes from: a file (by extension) or a PostgreSQL URL. */
export interface DirectorySource {
  kind: SourceKind;
  location: string;
  schema: string;
  /** PostgreSQL: give up connecting, or on a query, after this long (ms). */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

const BY_EXTENSION: Record<string, SourceKind> = { '.yaml': 'yaml', '.yml': 'yaml', '.json': 'yaml', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.csv': 'csv' };

/**
 * Tells the source kind from `directory.source`, or from `override` (a file or
 * URL given on the command line); throws naming the key when it cannot.
 */
export function sourceOf(directory: Pick<Config['directory'], 'source' | 'schema'> & Partial<Pick<Config['directory'], 'connectTimeoutMs' | 'statementTimeoutMs'>>, override?: string): DirectorySource {
  const location = override ?? directory.source;
  if (/^postgres(ql)?:\/\//.test(location)) {
    return { kind: 'postgres', location, schema: directory.schema, connectTimeoutMs: directory.connectTimeoutMs, statementTimeoutMs: directory.statementTimeoutMs };
  }
  const kind = BY_EXTENSION[extname(location).toLowerCase()];
  if (!kind) throw new DirectoryError(`directory.source "${location}": expected a .yaml, .yml, .json, .jsonl, .ndjson or .csv file, or a postgres:// URL`);
  return { kind, location, schema: directory.schema };
}

/** Human-readable source name for logs and errors (no credentials). */
export function describeSource(src: DirectorySource): string {
  return src.kind === 'postgres' ? `PostgreSQL ${withoutCredentials(src.location)} schema ${src.schema}` : src.location;
}

/** Reads a source into a builder, whatever its errors (for `directory check`). */
export async function readSource(src: DirectorySource, opts: { record?: boolean } = {}): Promise<DirectoryBuilder> {
  const b = new DirectoryBuilder(opts);
  try {
    if (src.kind === 'yaml') await readYamlSource(src.location, b);
    else if (src.kind === 'jsonl') await readJsonlSource(src.location, b);
    else if (src.kind === 'csv') await readCsvSource(src.location, b);
    else await readPostgresSource(src.location, src.schema, b, src);
  } catch (err) {
    b.errors.push(`cannot read: ${(err as Error).message}`);
  }
  return b;
}

/** Loads a directory; throws DirectoryError listing the first problems if the source has any. */
export async function loadDirectory(src: DirectorySource): Promise<CustomerDirectory> {
  const b = await readSource(src);
  if (b.errors.length) {
    const shown = b.errors.slice(0, 20).map((e) => `  ${e}`).join('\n');
    const more = b.errors.length > 20 ? `\n  … and ${b.errors.length - 20} more` : '';
    throw new DirectoryError(`customer directory ${describeSource(src)} is invalid:\n${shown}${more}`);
  }
  return b.build();
}

/** Builds a directory from in-memory data (`{ customers: [...] }`), for tests and tools. */
export function directoryFromData(data: unknown): CustomerDirectory {
  const parsed = directoryFileSchema.safeParse(data);
  if (!parsed.success) throw new DirectoryError(parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('\n'));
  const b = new DirectoryBuilder();
  parsed.data.customers.forEach((c, i) => addCustomer(b, c, `customers[${i}]`));
  if (b.errors.length) throw new DirectoryError(b.errors.join('\n'));
  return b.build();
}
