import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage, UnparseableMessageError } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';
import { CORPUS } from '../support/corpus.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);

function messages(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? messages(p) : /\.(json|md)$/.test(f) || f === 'README.upstream.txt' ? [] : [p];
  });
}

// Deterministic damage, so a failure can be replayed.
let seed = 20261121;
const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);

const DAMAGE: Array<[string, (raw: Buffer) => Buffer]> = [
  ['truncated', (raw) => raw.subarray(0, rand(raw.length + 1))],
  ['boundaries scrambled', (raw) => Buffer.from(raw.toString('latin1').replace(/boundary="?([^";\r\n]+)"?/gi, () => `boundary="${rand(1e9)}"`), 'latin1')],
  ['boundary lines cut', (raw) => Buffer.from(raw.toString('latin1').replace(/^--[^\r\n]{0,70}/gm, (m) => (rand(2) ? m.slice(0, rand(m.length)) : '')), 'latin1')],
  ['random bytes', (raw) => {
    const out = Buffer.from(raw);
    for (let i = 0; i < 1 + rand(50); i++) out[rand(out.length || 1)] = rand(256);
    return out;
  }],
  ['bad charset and encoding', (raw) => Buffer.from(raw.toString('latin1').replace(/charset="?[\w-]+"?/gi, 'charset="x-no-such-charset"').replace(/Content-Transfer-Encoding: \w+/gi, () => `Content-Transfer-Encoding: ${['base64', 'quoted-printable', 'x-uuencode', 'bogus'][rand(4)]}`), 'latin1')],
  ['huge header', (raw) => Buffer.concat([Buffer.from(`X-Huge: ${'a'.repeat(200_000 + rand(300_000))}\r\n`), raw])],
  ['many headers', (raw) => Buffer.concat([Buffer.from(Array.from({ length: 5000 + rand(5000) }, (_, i) => `X-H${i}: v${i}\r\n`).join('')), raw])],
  ['deep nesting', (raw) => Buffer.concat([Buffer.from(Array.from({ length: 200 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`).join('')), raw])],
];

describe('2,000 damaged messages through parse and triage', () => {
  it('never crashes or hangs: each is triaged or rejected with a reason, within 1 s', async () => {
    const sources = messages(CORPUS).map((f) => readFileSync(f));
    const outcome = { triaged: 0, rejected: 0 };
    let slowest = 0;
    for (let i = 0; i < 2000; i++) {
      const [name, damage] = DAMAGE[i % DAMAGE.length]!;
      const raw = damage(sources[rand(sources.length)]!);
      const started = performance.now();
      try {
        const d = decide(await parseMessage(raw, config.limits), directory, settings);
        assert.equal(typeof d.isComplaint, 'boolean');
        outcome.triaged++;
      } catch (err) {
        assert.ok(err instanceof UnparseableMessageError, `case ${i} (${name}) threw ${(err as Error).stack}`);
        assert.ok(err.reason.length > 0);
        outcome.rejected++;
      }
      const ms = performance.now() - started;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < 1000, `case ${i} (${name}) took ${ms.toFixed(0)} ms`);
    }
    assert.equal(outcome.triaged + outcome.rejected, 2000);
    assert.ok(outcome.triaged > 1000, JSON.stringify(outcome));
  });
});
