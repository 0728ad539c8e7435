/**
 * Agreement with the corpus's own expected results (see corpus-sources.ts):
 * for every message whose source states what it reports, does abuse-desk
 * find one of the same reported IPs or domains, and an equivalent category?
 *
 * Last line: {"messages", "agreement"}; the lines before list the disagreements.
 * Run with: npm run bench:corpus-score
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.ts';
import { loadDirectory, sourceOf } from '../src/directory/load-directory.ts';
import { parseMessage, UnparseableMessageError } from '../src/parse/parse-message.ts';
import { decide } from '../src/triage/decide.ts';
import { triageSettings } from '../src/triage/triage-message.ts';
import { CORPUS, expected, foundTarget } from './corpus-sources.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);

let agree = 0;
const misses: string[] = [];
for (const e of expected.values()) {
  let targetOk = !(e.ips.length || e.urls.length);
  let categoryOk = !e.categories;
  let got = '(rejected)';
  try {
    const d = decide(await parseMessage(readFileSync(join(CORPUS, e.file)), config.limits), directory, settings);
    targetOk ||= [...e.ips, ...e.urls].some((w) => foundTarget(d, w));
    categoryOk ||= e.categories!.includes(d.category);
    got = `${d.category}; ${d.targets.slice(0, 3).map((t) => t.value).join(' ')}`;
  } catch (err) {
    if (!(err instanceof UnparseableMessageError)) throw err;
  }
  if (targetOk && categoryOk) agree++;
  else misses.push(`${e.file} [${e.source}]: expected ${e.categories?.join('|') ?? 'any'}; ${[...e.ips, ...e.urls].slice(0, 2).join(' ') || 'no target'} — got ${got}${targetOk ? '' : ' (target)'}${categoryOk ? '' : ' (category)'}`);
}
for (const m of misses) console.log(m);
console.log(`${agree} of ${expected.size} messages agree`);
console.log(JSON.stringify({ messages: expected.size, agreement: +(agree / expected.size).toFixed(3) }));
