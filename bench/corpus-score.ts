/**
 * Agreement with the corpus's own expected results (see corpus-sources.ts):
 * for every message whose source states what it reports, does abuse-desk
 * find one of the same reported IPs or domains, and an equivalent category?
 *
 * Over the messages whose source names what they report: targetPrecision is,
 * per message, the share of the targets abuse-desk lists as reported that the
 * source names (averaged over messages with any); targetRecall the share of
 * what the source names that abuse-desk lists as reported (averaged).
 *
 * Last line: {"messages", "agreement", "targetPrecision", "targetRecall"}; the lines before list the disagreements.
 * Run with: npm run bench:corpus-score
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.ts';
import { loadDirectory, sourceOf } from '../src/directory/load-directory.ts';
import { parseMessage, UnparseableMessageError } from '../src/parse/parse-message.ts';
import { decide } from '../src/triage/decide.ts';
import { triageSettings } from '../src/triage/triage-settings.ts';
import { CORPUS, expected, foundTarget, namedBy } from './corpus-sources.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);

let agree = 0;
const misses: string[] = [];
const precisions: number[] = [];
// Forwarded spam apart: its sender's domain and its links are reported by design, where most sources name only the sending IP.
const spamPrecisions: number[] = [];
const otherPrecisions: number[] = [];
const recalls: number[] = [];
// Stated and accused targets apart (target-basis.ts): what is notified without a person.
const surePrecisions: number[] = [];
const sureMisses: string[] = [];
// Messages that would wait for a person only because of named targets (were every reported target a customer's).
let waiting = 0;
let complaints = 0;
const waits: string[] = [];
const imprecise: string[] = [];
for (const e of expected.values()) {
  let targetOk = !(e.ips.length || e.urls.length);
  let categoryOk = !e.categories;
  let got = '(rejected)';
  try {
    const d = decide(await parseMessage(readFileSync(join(CORPUS, e.file)), config.limits), directory, settings);
    targetOk ||= [...e.ips, ...e.urls].some((w) => foundTarget(d, w));
    const wanted = [...e.ips, ...e.urls];
    if (d.isComplaint) {
      complaints++;
      const unsure = d.targets.filter((t) => t.role === 'reported' && t.basis === 'named');
      if (unsure.length) waiting++;
      if (unsure.length && process.env.SCORE_VERBOSE) waits.push(`${e.file}: waits for ${unsure.map((t) => `${t.value}${[...e.ips, ...e.urls].some((w) => namedBy(t, w)) ? ' (the source names it)' : ''} (${t.basisWhy})`).join(' ')}`);
    }
    if (wanted.length) {
      const sure = d.targets.filter((t) => t.role === 'reported' && t.basis !== 'named');
      if (sure.length) {
        const right = sure.filter((t) => wanted.some((w) => namedBy(t, w)));
        surePrecisions.push(right.length / sure.length);
        if (right.length < sure.length) sureMisses.push(`${e.file}: ${(right.length / sure.length).toFixed(2)} stated or accused, not named by the source: ${sure.filter((t) => !right.includes(t)).map((t) => `${t.value} (${t.basis}: ${t.basisWhy})`).join(' ')}`);
      }
      const reported = d.targets.filter((t) => process.env.ALL_REPORTED || (t.role ?? 'reported') === 'reported');
      const named = reported.filter((t) => wanted.some((w) => namedBy(t, w)));
      if (reported.length) {
        precisions.push(named.length / reported.length);
        (d.why.some((w) => w.startsWith('spam source:')) ? spamPrecisions : otherPrecisions).push(named.length / reported.length);
      }
      recalls.push(wanted.filter((w) => reported.some((t) => namedBy(t, w))).length / wanted.length);
      const missed = wanted.filter((w) => !reported.some((t) => namedBy(t, w)));
      if (missed.length && process.env.SCORE_VERBOSE) waits.push(`${e.file}: missed ${missed.join(' ')}: ${d.targets.filter((t) => missed.some((w) => namedBy(t, w))).map((t) => `${t.value} ${t.role} (${t.why})`).join('; ')}`);
      if (named.length < reported.length) imprecise.push(`${e.file}: not named by the source: ${reported.filter((t) => !named.includes(t)).map((t) => t.value).join(' ')}`);
    }
    categoryOk ||= e.categories!.includes(d.category);
    got = `${d.category}; ${d.targets.slice(0, 3).map((t) => t.value).join(' ')}`;
  } catch (err) {
    if (!(err instanceof UnparseableMessageError)) throw err;
  }
  if (targetOk && categoryOk) agree++;
  else misses.push(`${e.file} [${e.source}]: expected ${e.categories?.join('|') ?? 'any'}; ${[...e.ips, ...e.urls].slice(0, 2).join(' ') || 'no target'} — got ${got}${targetOk ? '' : ' (target)'}${categoryOk ? '' : ' (category)'}`);
}
const mean = (xs: number[]): number => +(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(3);
for (const m of misses) console.log(m);
if (process.env.SCORE_VERBOSE) for (const m of imprecise) console.log(m);
if (process.env.SCORE_VERBOSE) for (const m of [...sureMisses, ...waits]) console.log(m);
console.log(`${agree} of ${expected.size} messages agree; ${imprecise.length} list targets the source does not name`);
console.log(`targetPrecision: ${mean(spamPrecisions)} over ${spamPrecisions.length} forwarded spams (sender domain and links reported), ${mean(otherPrecisions)} over the other ${otherPrecisions.length}`);
console.log(
  JSON.stringify({
    messages: expected.size,
    agreement: +(agree / expected.size).toFixed(3),
    statedAccusedPrecision: mean(surePrecisions),
    targetPrecision: mean(precisions),
    targetRecall: mean(recalls),
    waitingShare: +(waiting / Math.max(1, complaints)).toFixed(3),
  }),
);
