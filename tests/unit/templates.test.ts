import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATEGORIES } from '../../src/classify/category-names.ts';
import { loadConfig } from '../../src/config/load.ts';
import { composeMail } from '../../src/notify/compose.ts';
import { sampleIntent } from '../../src/notify/sample-mails.ts';
import { TEMPLATE_VARIABLES } from '../../src/notify/template-variables.ts';
import { LANGUAGES, loadTemplates, MAIL_KINDS, TemplateError, templateVariables } from '../../src/notify/templates.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;
const config = loadConfig({ env: {} });
const variants = config.ladder.rungs.map((r) => r.template).filter((t) => t !== 'notice');

describe('mail templates', () => {
  it('use only documented variables, in every kind, rung and language', () => {
    for (const lang of LANGUAGES) {
      for (const name of [...MAIL_KINDS, ...variants]) {
        const used = templateVariables(readFileSync(join(config.templates.dir, lang, `${name}.mustache`), 'utf8'));
        assert.ok(used.length > 0);
        assert.deepEqual(used.filter((v) => !(v in TEMPLATE_VARIABLES)), [], `${lang}/${name}.mustache`);
      }
    }
  });

  it('refuse at start a template with an undocumented variable, naming file and variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-templates-'));
    cpSync(config.templates.dir, dir, { recursive: true });
    const file = join(dir, 'fr', 'notice.mustache');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{{customerName}}', '{{customerNmae}}'));
    assert.throws(() => loadTemplates(dir, variants), (err: Error) => err instanceof TemplateError && err.message.includes('fr/notice.mustache') && err.message.includes('{{customerNmae}}'));
  });

  it('refuse at start a ladder rung whose template file is missing', () => {
    assert.throws(() => loadTemplates(config.templates.dir, ['notice-nonexistent']), /notice-nonexistent\.mustache/);
  });

  it('render every kind for every category in both languages, labels filled in, nothing left unreplaced', () => {
    const set = loadTemplates(config.templates.dir, variants);
    for (const lang of LANGUAGES) {
      for (const kind of MAIL_KINDS) {
        for (const category of CATEGORIES) {
          const mail = composeMail({ ...sampleIntent(kind, lang), category }, set, { deskName: 'Desk', from: 'abuse@example.net' });
          assert.ok(mail.subject.length > 10, `${kind}/${lang}/${category}`);
          assert.doesNotMatch(`${mail.subject}\n${mail.text}`, /\{\{|\}\}|undefined|\[object Object\]/, `${kind}/${lang}/${category}`);
          if (kind !== 'decision' && kind !== 'acknowledgement') continue;
          assert.ok(mail.text.includes(set.labels[lang].categories[category]), `${kind}/${lang}/${category}: no category label`);
        }
      }
    }
  });

  it('`abuse-desk render` prints every kind and rung in both languages', () => {
    const out = execFileSync(process.execPath, [BIN, 'render'], { encoding: 'utf8' });
    for (const kind of MAIL_KINDS) for (const lang of LANGUAGES) assert.match(out, new RegExp(`^${kind} · ${lang}$`, 'm'));
    for (const v of variants) for (const lang of LANGUAGES) assert.match(out, new RegExp(`^notice \\(${v}\\) · ${lang}$`, 'm'));
    assert.doesNotMatch(out, /\{\{/);
  });
});
