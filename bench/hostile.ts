/**
 * Hostile input at the default text limit (limits.maxTextChars): every family
 * of tests/support/hostile.ts, alone, mixed into corpus text and in headers,
 * through parse, triage, excerpt redaction and the log scrubber on one core.
 * Last line: {"families", "messages", "worstMs", "worstFamily"}; target worstMs ≤ 500.
 *
 * Run with: npm run bench:hostile
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load.ts';
import { loadDirectory, sourceOf } from '../src/directory/load-directory.ts';
import { scrubbed } from '../src/log.ts';
import { redactExcerpt } from '../src/notify/redact.ts';
import { parseMessage } from '../src/parse/parse-message.ts';
import { decide } from '../src/triage/decide.ts';
import { triageSettings } from '../src/triage/triage-message.ts';
import { HOSTILE_FAMILIES, hostileMessages, runHostile, type HostileRun } from '../tests/support/hostile.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);
const deps = {
  parse: (raw: Buffer) => parseMessage(raw, config.limits),
  triage: (m: never) => decide(m, directory, settings),
  redact: (text: string) => redactExcerpt(text, { names: ['Reporter Name'], addresses: ['reporter@reporter.test'] }, config.limits.noticeExcerptChars),
  scrub: scrubbed,
};
const corpusText = (await parseMessage(readFileSync(new URL('../../shared/corpus/ovh-cerberus-core/sample3', import.meta.url)), config.limits)).text.slice(0, 4000);

const size = config.limits.maxTextChars;
const runs: HostileRun[] = [];
for (const c of hostileMessages(size, corpusText)) runs.push(await runHostile(c, deps));
runs.sort((a, b) => b.ms - a.ms);
for (const r of runs.slice(0, 10)) console.log(`${r.family.padEnd(20)} ${r.place.padEnd(7)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.outcome}`);
const worst = runs[0]!;
console.log(JSON.stringify({ families: HOSTILE_FAMILIES.length, messages: runs.length, chars: size, worstMs: Math.round(worst.ms), worstFamily: `${worst.family} (${worst.place})` }));
