import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema.ts';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_CONFIG_FILE = resolve(PACKAGE_ROOT, 'config/default.yaml');

/** A configuration problem; the message names the key and what is expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars from `over` replace. */
export function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlain(v) && isPlain(out[k]) ? deepMerge(out[k] as Plain, v) : v;
  }
  return out;
}

// Path settings are relative to the file that set them, so a config file works
// from any working directory.
const PATH_KEYS: Array<[string, string]> = [
  ['templates', 'dir'],
  ['rules', 'file'],
  ['directory', 'source'],
];

function readLayer(file: string): Plain {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  if (!isPlain(data)) throw new ConfigError(`config file ${file} must hold a mapping of settings at the top level`);
  for (const [section, key] of PATH_KEYS) {
    const sec = data[section];
    // URLs (a PostgreSQL directory) are not paths.
    if (isPlain(sec) && typeof sec[key] === 'string' && !isAbsolute(sec[key]) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(sec[key])) {
      sec[key] = resolve(dirname(file), sec[key]);
    }
  }
  return data;
}

// The same secret may come from VAR or from a file named by VAR_FILE
// (Docker and Kubernetes secrets).
const SECRETS: Array<{ env: string; path: [string, string] }> = [
  { env: 'ABUSE_DESK_IMAP_PASSWORD', path: ['imap', 'password'] },
  { env: 'ABUSE_DESK_SMTP_PASSWORD', path: ['smtp', 'password'] },
  { env: 'ABUSE_DESK_REDIS_URL', path: ['redis', 'url'] },
  { env: 'ABUSE_DESK_DIRECTORY_URL', path: ['directory', 'source'] },
  { env: 'ABUSE_DESK_CASES_URL', path: ['cases', 'database'] },
];

function applySecrets(data: Plain, env: NodeJS.ProcessEnv): void {
  for (const { env: name, path } of SECRETS) {
    let value = env[name];
    const file = env[`${name}_FILE`];
    if (value === undefined && file) {
      try {
        value = readFileSync(file, 'utf8').trim();
      } catch (err) {
        throw new ConfigError(`${name}_FILE=${file} cannot be read: ${(err as Error).message}`);
      }
    }
    if (value === undefined) continue;
    const [section, key] = path;
    const sec = isPlain(data[section]) ? (data[section] as Plain) : (data[section] = {} as Plain);
    sec[key] = value;
  }
}

function deepFreeze<T>(obj: T): T {
  if (typeof obj === 'object' && obj !== null) {
    for (const v of Object.values(obj)) deepFreeze(v);
    Object.freeze(obj);
  }
  return obj;
}

export interface LoadOptions {
  /** A file merged over config/default.yaml. */
  configFile?: string;
  /** Settings merged last (used by the demo and tests). */
  overrides?: Plain;
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads default.yaml, the optional --config file, secrets from the environment
 * and overrides; validates once and returns a frozen config.
 * Throws ConfigError naming every bad key.
 */
export function loadConfig(opts: LoadOptions = {}): Readonly<Config> {
  let data = readLayer(DEFAULT_CONFIG_FILE);
  if (opts.configFile) data = deepMerge(data, readLayer(resolve(opts.configFile)));
  applySecrets(data, opts.env ?? process.env);
  if (opts.overrides) data = deepMerge(data, opts.overrides);
  return deepFreeze(validateConfig(data));
}

/** Validates plain data against the schema; errors name each key, the problem and the value found. */
export function validateConfig(data: unknown): Config {
  const result = configSchema.safeParse(data);
  if (result.success) {
    const cfg = result.data;
    if (cfg.imap.reconnect.initialMs > cfg.imap.reconnect.maxMs) {
      throw new ConfigError('invalid configuration:\n  imap.reconnect.initialMs: must not exceed imap.reconnect.maxMs');
    }
    return cfg;
  }
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${issue.path.join('.')}.` : '';
      return `  ${issue.keys.map((k) => where + k).join(', ')}: unknown setting (misspelt? see config/default.yaml for every key)`;
    }
    const found = valueAt(data, issue.path);
    const shown = found === undefined ? 'nothing' : JSON.stringify(found);
    const message = SECRET_KEYS.has(key) ? issue.message : `${issue.message} (found ${shown})`;
    return `  ${key}: ${message}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

// Values never echoed in an error: passwords, and URLs that may carry credentials.
const SECRET_KEYS = new Set(['imap.password', 'smtp.password', 'redis.url', 'directory.source', 'cases.database']);

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const p of path) {
    if (!isPlain(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}
