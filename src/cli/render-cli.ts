import { readFileSync } from 'node:fs';
import { CATEGORIES, type Category } from '../config/category-names.ts';
import type { Config, Language } from '../config/schema.ts';
import type { MailIntent } from '../notify/mail-intent.ts';
import { composeMail } from '../notify/compose.ts';
import { sampleIntent } from '../notify/sample-mails.ts';
import { LANGUAGES, loadTemplates, MAIL_KINDS, type MailKind } from '../notify/templates.ts';

/**
 * `abuse-desk render [KIND] [--category C] [--lang L] [--data FILE]`: every
 * kind of mail (and each ladder rung's notice) in both languages, rendered
 * from sample data with the configured templates (a category's own template
 * when it has one), so ops see what their edits produce before a customer does.
 */
export function renderCommand(kind: string | undefined, o: { category?: string; lang?: string; data?: string }, config: Readonly<Config>): number {
  if (kind && !MAIL_KINDS.includes(kind as MailKind)) {
    process.stderr.write(`abuse-desk render: unknown kind "${kind}"; one of ${MAIL_KINDS.join(', ')}\n`);
    return 2;
  }
  if (o.category && !CATEGORIES.includes(o.category as Category)) {
    process.stderr.write(`abuse-desk render: unknown category "${o.category}"; one of ${CATEGORIES.join(', ')}\n`);
    return 2;
  }
  if (o.lang && !LANGUAGES.includes(o.lang as Language)) {
    process.stderr.write(`abuse-desk render: unknown language "${o.lang}"; one of ${LANGUAGES.join(', ')}\n`);
    return 2;
  }
  // --data: a JSON object of intent fields laid over the sample (e.g. {"customerName": "…", "deadlineDays": 3}).
  let data: Record<string, unknown> = {};
  if (o.data) {
    try {
      data = JSON.parse(readFileSync(o.data, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      process.stderr.write(`abuse-desk render: --data ${o.data}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const variants = [...new Set(config.ladder.rungs.map((r) => r.template))].filter((t) => t !== 'notice');
  const set = loadTemplates(config.templates.dir, variants, config.desk.defaultLanguage);
  const compose = { deskName: config.desk.name, from: config.desk.from };
  const rule = '─'.repeat(78);
  for (const k of kind ? [kind as MailKind] : MAIL_KINDS) {
    for (const template of k === 'notice' ? [undefined, ...variants] : [undefined]) {
      for (const lang of o.lang ? [o.lang as Language] : LANGUAGES) {
        const intent = { ...sampleIntent(k, lang, template), ...(o.category ? { category: o.category as Category } : {}), ...data } as MailIntent;
        const mail = composeMail(intent, set, compose);
        process.stdout.write(`${rule}\n${k}${template ? ` (${template})` : ''} · ${lang}${o.category ? ` · ${o.category}` : ''}\nSubject: ${mail.subject}\n\n${mail.text}`);
      }
    }
  }
  process.stdout.write(`${rule}\n`);
  return 0;
}
