import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATEGORIES } from '../../src/config/category-names.ts';
import { loadConfig } from '../../src/config/load.ts';
import { composeMail } from '../../src/notify/compose.ts';
import { buildRaw } from '../../src/notify/mime.ts';
import { simpleParser } from 'mailparser';
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

  it("use a category's own template when there is one, the kind's generic one otherwise", () => {
    const set = loadTemplates(config.templates.dir, variants);
    const compose = { deskName: 'Desk', from: 'abuse@example.net' };
    assert.match(composeMail({ ...sampleIntent('notice', 'en'), category: 'copyright' }, set, compose).subject, /Copyright notice about/);
    assert.match(composeMail({ ...sampleIntent('notice', 'fr'), category: 'copyright' }, set, compose).text, /Nous ne jugeons pas si le contenu est contrefaisant/);
    assert.match(composeMail({ ...sampleIntent('notice', 'en'), category: 'phishing' }, set, compose).subject, /Abuse complaint about/);
  });

  it('use a kind\'s optional refinement when ops provide it (a notice update), the generic template otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-templates-'));
    cpSync(config.templates.dir, dir, { recursive: true });
    const compose = { deskName: 'Desk', from: 'abuse@example.net' };
    const update = { ...sampleIntent('notice', 'en'), noticeSeq: 2, newReports: 4, caseReports: 7, excerpt: undefined };
    assert.match(composeMail(update, loadTemplates(dir, variants), compose).subject, /Update: 4 new reports about/);
    writeFileSync(
      join(dir, 'en', 'notice-update.mustache'),
      'Subject: [{{caseRef}}] {{newReports}} more reports about {{firstTarget}}\n\nHello {{customerName}},\n\nCase {{caseRef}} now holds {{caseReports}} reports.\n\n{{deskName}}\n',
    );
    const set = loadTemplates(dir, variants);
    assert.match(composeMail(update, set, compose).subject, /\] 4 more reports about www\.example\.test/);
    assert.match(composeMail({ ...update, noticeSeq: 1 }, set, compose).subject, /Abuse complaint about/, 'a first notice keeps its own template');
    assert.match(composeMail({ ...update, language: 'fr' }, set, compose).subject, /Suivi : 4 nouveaux signalements/, 'French has no refinement: its generic template');
  });

  it("fall back to the default language's template when a language lacks one", () => {
    const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-templates-'));
    cpSync(config.templates.dir, dir, { recursive: true });
    rmSync(join(dir, 'fr', 'decision.mustache'));
    const set = loadTemplates(dir, variants, 'en');
    assert.match(composeMail(sampleIntent('decision', 'fr'), set, { deskName: 'Desk', from: 'abuse@example.net' }).subject, /Outcome of your report/);
    rmSync(join(dir, 'en', 'decision.mustache'));
    assert.throws(() => loadTemplates(dir, variants, 'en'), /en\/decision\.mustache/, 'the default language must have every kind');
  });

  it('add an HTML part where the template has one, with every value escaped; the text part stays plain', async () => {
    const set = loadTemplates(config.templates.dir, variants);
    const hostile = '<script>alert(1)</script> & "quotes"';
    const mail = composeMail({ ...sampleIntent('decision', 'fr'), reason: hostile }, set, { deskName: 'Desk', from: 'abuse@example.net' });
    assert.ok(mail.html, 'decision.html.mustache gives an HTML part');
    assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; &quot;quotes&quot;'), mail.html);
    assert.ok(!mail.html.includes('<script>'));
    assert.ok(mail.text.includes(hostile));
    const parsed = await simpleParser(buildRaw(mail));
    assert.match(parsed.text ?? '', /Décision : des mesures ont été prises/);
    assert.match(String(parsed.html), /<strong>AD-2026-000123<\/strong>/);
    assert.match(String(parsed.headers.get('content-type') && (parsed.headers.get('content-type') as { value: string }).value), /multipart\/alternative/);
    assert.equal(composeMail(sampleIntent('notice', 'en'), set, { deskName: 'Desk', from: 'abuse@example.net' }).html, undefined, 'no HTML template, no HTML part');
  });

  it('`abuse-desk render` prints every kind and rung in both languages', () => {
    const out = execFileSync(process.execPath, [BIN, 'render'], { encoding: 'utf8' });
    for (const kind of MAIL_KINDS) for (const lang of LANGUAGES) assert.match(out, new RegExp(`^${kind} · ${lang}$`, 'm'));
    for (const v of variants) for (const lang of LANGUAGES) assert.match(out, new RegExp(`^notice \\(${v}\\) · ${lang}$`, 'm'));
    assert.doesNotMatch(out, /\{\{/);
    const one = execFileSync(process.execPath, [BIN, 'render', 'notice', '--category', 'copyright', '--lang', 'fr'], { encoding: 'utf8' });
    assert.match(one, /^notice · fr · copyright$/m);
    assert.doesNotMatch(one, / · en/);
    assert.match(one, /Notification de droit d'auteur/);
  });
});
