/**
 * Hostile input at the default text limit (limits.maxTextChars): every family
 * of tests/support/hostile.ts, alone, mixed into corpus text and in headers,
 * through parse, triage, excerpt redaction and the log scrubber on one core.
 * Last line: {"families", "messages", "worstMs", "worstFamily"}; target worstMs ≤ 500.
 *
 * Run with: npm run bench:hostile
 */
import { defaultHostileSetup, HOSTILE_FAMILIES, hostileMessages, runHostile, type HostileRun } from '../tests/support/hostile.ts';

const { config, deps, corpusText } = await defaultHostileSetup();
const size = config.limits.maxTextChars;
const runs: HostileRun[] = [];
for (const c of hostileMessages(size, corpusText)) runs.push(await runHostile(c, deps));
runs.sort((a, b) => b.ms - a.ms);
for (const r of runs.slice(0, 10)) console.log(`${r.family.padEnd(20)} ${r.place.padEnd(7)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.outcome}`);
const worst = runs[0]!;
console.log(JSON.stringify({ families: HOSTILE_FAMILIES.length, messages: runs.length, chars: size, worstMs: Math.round(worst.ms), worstFamily: `${worst.family} (${worst.place})` }));
