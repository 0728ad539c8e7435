import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { defaultHostileSetup, HOSTILE_FAMILIES, hostileMessages, runHostile } from '../support/hostile.ts';

const { config, directory, settings, deps, corpusText } = await defaultHostileSetup();

describe('hostile input: every scan is linear', () => {
  for (const size of [10_000, 200_000]) {
    it(`${HOSTILE_FAMILIES.length} families at ${size.toLocaleString('en')} characters, alone, in corpus text and in headers: each under 1 s`, async () => {
      const slow: string[] = [];
      for (const c of hostileMessages(size, corpusText)) {
        const run = await runHostile(c, deps);
        if (run.ms >= 1000) slow.push(`${run.family} (${run.place}): ${Math.round(run.ms)} ms`);
      }
      assert.deepEqual(slow, []);
    });
  }

  it('finds the target in a URL followed by 30,000 ")" (the run is not part of it)', async () => {
    const [c] = hostileMessages(30_000).filter((h) => h.family === 'url-close-paren');
    const d = decide(await parseMessage(c!.raw, config.limits), directory, settings);
    assert.ok(d.targets.some((t) => t.value === 'bad.example.com'), JSON.stringify(d.targets.map((t) => t.value)));
  });
});
