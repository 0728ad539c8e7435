import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const CRUISER = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** Runs the layer check (npm run lint:layers) on a tree; its exit code and the rules it names. */
function cruise(cwd: string, paths: string[]): { code: number | null; rules: string[]; out: string } {
  const r = spawnSync(CRUISER, [...paths, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  return { code: r.status, rules: [...new Set([...out.matchAll(/error ([\w-]+):/g)].map((m) => m[1]!))].sort(), out };
}

describe('the layer rules (.dependency-cruiser.cjs, run by .ci/run)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  it('the tree as it stands passes', () => {
    const r = cruise(ROOT, ['src', 'workers', 'bin', 'bench']);
    assert.equal(r.code, 0, r.out);
  });

  it('refuses an upward import, a pure rule reaching for Redis or PostgreSQL, src importing a worker, and a cycle', () => {
    write('workers/triage.ts', "export const start = 1;\n");
    write('src/cases/plan.ts', "import { start } from '../../workers/triage.ts';\nexport const x = start;\n");
    write('src/classify/rule.ts', "import { Redis } from 'ioredis';\nimport pg from 'pg';\nexport const r = [Redis, pg];\n");
    write('src/parse/early.ts', "import { y } from '../notify/late.ts';\nexport const e = y;\n");
    write('src/notify/late.ts', 'export const y = 1;\n');
    write('src/text/a.ts', "import { b } from './b.ts';\nexport const a = () => b;\n");
    write('src/text/b.ts', "import { a } from './a.ts';\nexport const b = () => a;\n");
    const r = cruise(dir, ['src', 'workers']);
    assert.notEqual(r.code, 0);
    for (const rule of ['flow-one-way', 'no-circular', 'pure-rules-no-io', 'workers-are-outer']) assert.ok(r.rules.includes(rule), `${rule} in ${r.out}`);
  });
});
