import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CORPUS, foundTarget, namedBy } from '../../bench/corpus-sources.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage, UnparseableMessageError } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';

/** One row of tests/corpus/expected.yaml: what a message reports, written down per message. */
interface Row {
  by: string;
  rejected?: string;
  kind?: string;
  complaint?: boolean;
  automated?: boolean;
  category?: string | string[];
  targets?: string[];
  /** Values that must not come out reported (context, or not found at all). */
  notTargets?: string[];
}

const table = parse(readFileSync(new URL('../corpus/expected.yaml', import.meta.url), 'utf8')) as Record<string, Row>;
const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);

const messages: string[] = [];
const walk = (dir: string): void => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!/\.json$|^SOURCES\.md$|^README\.upstream\.txt$/.test(name)) messages.push(relative(CORPUS, path));
  }
};
walk(CORPUS);

describe('every corpus message, against the table of what it reports', () => {
  it('the table has one row per message, and no row for a message that is gone', () => {
    assert.ok(messages.length >= 350, `corpus found at ${CORPUS}`);
    assert.deepEqual(messages.filter((f) => !table[f]), [], 'messages without a row');
    assert.deepEqual(Object.keys(table).filter((f) => !messages.includes(f)), [], 'rows without a message');
  });

  for (const file of messages) {
    const row = table[file];
    if (!row) continue;
    it(`${file} (${row.by.split(':')[0]})`, async () => {
      assert.deepEqual(await problems(file, row), []);
    });
  }

  it('a mutated row fails: a victim moved into targets, a reported target moved into notTargets, a wrong kind', async () => {
    const webiron = 'abuseio/webiron/Webiron_Example_2.eml';
    const row = table[webiron]!;
    assert.ok(row.notTargets?.length && row.targets?.length, 'the row names a victim and a source');
    assert.deepEqual(await problems(webiron, row), []);
    assert.notDeepEqual(await problems(webiron, { ...row, targets: [...row.targets!, row.notTargets![0]!] }), [], 'the targeted range required as a target');
    assert.notDeepEqual(await problems(webiron, { ...row, notTargets: [...row.notTargets!, row.targets![0]!] }), [], 'the source listed as not a target');
    assert.notDeepEqual(await problems(webiron, { ...row, kind: 'human' }), []);
  });
});

/** What is wrong with a row: empty when the program agrees with it. */
async function problems(file: string, row: Row): Promise<string[]> {
  const raw = readFileSync(join(CORPUS, file));
  if (row.rejected) {
    try {
      await parseMessage(raw, config.limits);
      return ['expected to be rejected'];
    } catch (err) {
      return err instanceof UnparseableMessageError ? [] : [`rejected with ${(err as Error).message}`];
    }
  }
  const d = decide(await parseMessage(raw, config.limits), directory, settings);
  const why = `\n${d.why.join('\n')}`;
  const out: string[] = [];
  if (d.mailKind !== row.kind) out.push(`kind ${d.mailKind}, expected ${row.kind}${why}`);
  if (d.isComplaint !== row.complaint) out.push(`complaint ${d.isComplaint}, expected ${row.complaint}${why}`);
  if (d.automated !== row.automated) out.push(`automated ${d.automated}, expected ${row.automated}${why}`);
  if (!d.isComplaint) return out;
  const categories = Array.isArray(row.category) ? row.category : [row.category];
  if (!categories.includes(d.category)) out.push(`category ${d.category}, expected ${categories.join(' or ')}${why}`);
  // Targets must come out reported; notTargets must not (context, or absent).
  const reported = d.targets.filter((t) => t.role === 'reported');
  const shown = d.targets.map((t) => `${t.value} (${t.role}: ${t.why})`).join(', ');
  const missing = (row.targets ?? []).filter((t) => !foundTarget({ ...d, targets: reported }, t));
  if (missing.length) out.push(`targets not reported: ${missing.join(' ')}; found ${shown}`);
  const wrong = (row.notTargets ?? []).filter((n) => reported.some((t) => namedBy(t, n)));
  if (wrong.length) out.push(`reported but must not be: ${wrong.join(' ')}; found ${shown}`);
  return out;
}
