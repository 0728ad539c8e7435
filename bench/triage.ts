/**
 * Triage speed on the real corpus, one core: our parse + triage against
 * mailparser's simpleParser alone (default options) on the same messages.
 * Last line: {"triagePerSec", "simpleParserPerSec", "ratio"} (ratio = triage / simpleParser).
 *
 * Run with: npm run bench:triage
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../src/config/load.ts';
import { loadDirectory, sourceOf } from '../src/directory/load-directory.ts';
import { parseMessage, UnparseableMessageError } from '../src/parse/parse-message.ts';
import { decide } from '../src/triage/decide.ts';
import { triageSettings } from '../src/triage/triage-settings.ts';
import { CORPUS } from './corpus-sources.ts';

const ROUNDS = Number(process.argv[2] ?? 5);

function messages(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? messages(p) : /\.(json|md)$/.test(f) || f === 'README.upstream.txt' ? [] : [p];
  });
}

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);
const raws = messages(CORPUS).map((f) => readFileSync(f));

async function triageAll(): Promise<void> {
  for (const raw of raws) {
    try {
      decide(await parseMessage(raw, config.limits), directory, settings);
    } catch (err) {
      if (!(err instanceof UnparseableMessageError)) throw err;
    }
  }
}
async function parseAll(): Promise<void> {
  for (const raw of raws) await simpleParser(raw).catch(() => undefined);
}

async function perSec(fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up round
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) await fn();
  return Math.round((raws.length * ROUNDS) / ((performance.now() - start) / 1000));
}

// Alternate to share any machine noise fairly.
const triage: number[] = [];
const parser: number[] = [];
for (let i = 0; i < 2; i++) {
  triage.push(await perSec(triageAll));
  parser.push(await perSec(parseAll));
}
const triagePerSec = Math.max(...triage);
const simpleParserPerSec = Math.max(...parser);
console.log(`${raws.length} corpus messages × ${ROUNDS} rounds`);
console.log(JSON.stringify({ triagePerSec, simpleParserPerSec, ratio: +(triagePerSec / simpleParserPerSec).toFixed(2) }));
