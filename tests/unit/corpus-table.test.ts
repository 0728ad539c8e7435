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
import { triageSettings } from '../../src/triage/triage-message.ts';

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
      const raw = readFileSync(join(CORPUS, file));
      if (row.rejected) {
        await assert.rejects(parseMessage(raw, config.limits), UnparseableMessageError);
        return;
      }
      const d = decide(await parseMessage(raw, config.limits), directory, settings);
      const why = `\n${d.why.join('\n')}`;
      assert.equal(d.mailKind, row.kind, `kind${why}`);
      assert.equal(d.isComplaint, row.complaint, `complaint${why}`);
      assert.equal(d.automated, row.automated, `automated${why}`);
      if (!d.isComplaint) return;
      const categories = Array.isArray(row.category) ? row.category : [row.category];
      assert.ok(categories.includes(d.category), `category ${d.category}, expected ${categories.join(' or ')}${why}`);
      // Targets must come out reported; notTargets must not (context, or absent).
      const reported = d.targets.filter((t) => t.role === 'reported');
      const shown = d.targets.map((t) => `${t.value} (${t.role}: ${t.why})`).join(', ');
      const missing = (row.targets ?? []).filter((t) => !foundTarget({ ...d, targets: reported }, t));
      assert.deepEqual(missing, [], `targets not reported; found ${shown}`);
      const wrong = (row.notTargets ?? []).filter((n) => reported.some((t) => namedBy(t, n)));
      assert.deepEqual(wrong, [], `reported but must not be; found ${shown}`);
    });
  }
});
