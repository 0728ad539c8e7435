import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CORPUS } from '../support/corpus.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;

function messages(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return messages(p);
    // Expected-result files and notes sit beside the messages.
    return /\.(json|md)$/.test(f) || f === 'README.upstream.txt' ? [] : [p];
  });
}

describe('abuse-desk triage on the whole corpus', () => {
  it('prints one valid decision per message and never crashes', async () => {
    const files = messages(CORPUS);
    assert.ok(files.length > 300, `corpus has ${files.length} messages`);
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'triage', ...files], { maxBuffer: 256 * 1024 * 1024 });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; isComplaint: boolean; category?: string; rejected?: string });
    assert.deepEqual(lines.map((l) => l.file), files);
    for (const l of lines) {
      assert.equal(typeof l.isComplaint, 'boolean', l.file);
      if (!l.rejected && l.isComplaint) assert.ok(l.category, `${l.file} has no category`);
    }
    // The only file that is not an e-mail at all is the Outlook .msg.
    assert.deepEqual(lines.filter((l) => l.rejected).map((l) => l.file.split('/').pop()), ['mail_outlook_1']);
  });

  it('prints a single JSON object for a single file, with the documented fields', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'triage', join(CORPUS, 'abuseio/feedback-loop/AOL_example_1.eml')]);
    const d = JSON.parse(stdout);
    for (const key of ['isComplaint', 'automated', 'language', 'category', 'priority', 'targets', 'actions']) assert.ok(key in d, key);
    assert.equal(d.automated, true);
    assert.equal(d.category, 'spam');
    assert.deepEqual(d.actions, [], 'machine reports are not acknowledged; no customer owns 10.17.18.1 in the example directory');
    assert.ok(d.targets.some((t: { type: string; value: string }) => t.type === 'server' && t.value === '10.17.18.1'));
  });
});
