import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { detectMailKind } from '../../src/classify/mail-kind.ts';
import { buildSample } from '../../src/dev/sample-complaints.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { CORPUS } from '../support/corpus.ts';

const limits = { maxMessageBytes: 1e7, maxTextChars: 2e5 };
const kindOf = async (raw: Buffer, own: string[] = []) => detectMailKind(await parseMessage(raw, limits), own);

describe('mail kind', () => {
  it('a complaint through our own abuse@ group (Google Groups) is a complaint, not a newsletter', async () => {
    // DigitalOcean's abuse@ is a Google Group: List-ID <abuse.digitalocean.com>, Precedence: list.
    for (const f of ['cert_pl.phishing.0.eml', 'fail2ban.0.eml', 'hotmail.colej2000.spam.0.eml', 'cloudflare.fraud.0.eml']) {
      const k = await kindOf(readFileSync(`${CORPUS}abusix-inbound-parsers/${f}`));
      assert.equal(k.isComplaint, true, `${f}: ${k.why}`);
    }
  });

  it("a newsletter's own list headers still mark it as bulk, even through our group", async () => {
    assert.equal((await kindOf(buildSample('newsletter', 1).raw)).kind, 'bulk');
    const viaGroup = buildSample('newsletter', 2).raw.toString().replace('List-Id: Security Weekly <weekly.newsletter.test>', 'List-Id: <abuse.example.net>');
    assert.equal((await kindOf(Buffer.from(viaGroup), ['example.net'])).kind, 'bulk', 'Precedence: bulk and List-Unsubscribe of the newsletter remain');
  });

  it('tells bounces, auto-replies and machine reports apart', async () => {
    assert.equal((await kindOf(buildSample('bounce', 1).raw)).kind, 'bounce');
    assert.equal((await kindOf(buildSample('auto-reply', 1).raw)).kind, 'auto-reply');
    assert.equal((await kindOf(buildSample('arf', 1).raw)).kind, 'arf');
    assert.equal((await kindOf(readFileSync(`${CORPUS}abuseio/blocklistde/Blocklistde_Example_1.eml`))).kind, 'xarf');
  });
});
