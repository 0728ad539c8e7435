import type { Config } from '../config/schema.ts';
import { composeMail } from './compose.ts';
import { sampleIntent } from './sample-mails.ts';
import { LANGUAGES, loadTemplates, MAIL_KINDS, type MailKind } from './templates.ts';

/**
 * `abuse-desk render [KIND]`: every kind of mail (and each ladder rung's
 * notice) in both languages, rendered from sample data with the configured
 * templates, so ops see what their edits produce before a customer does.
 */
export function renderCommand(kind: string | undefined, config: Readonly<Config>): number {
  if (kind && !MAIL_KINDS.includes(kind as MailKind)) {
    process.stderr.write(`abuse-desk render: unknown kind "${kind}"; one of ${MAIL_KINDS.join(', ')}\n`);
    return 2;
  }
  const variants = [...new Set(config.ladder.rungs.map((r) => r.template))].filter((t) => t !== 'notice');
  const set = loadTemplates(config.templates.dir, variants);
  const compose = { deskName: config.desk.name, from: config.desk.from };
  const rule = '─'.repeat(78);
  for (const k of kind ? [kind as MailKind] : MAIL_KINDS) {
    for (const template of k === 'notice' ? [undefined, ...variants] : [undefined]) {
      for (const lang of LANGUAGES) {
        const mail = composeMail(sampleIntent(k, lang, template), set, compose);
        process.stdout.write(`${rule}\n${k}${template ? ` (${template})` : ''} · ${lang}\nSubject: ${mail.subject}\n\n${mail.text}`);
      }
    }
  }
  process.stdout.write(`${rule}\n`);
  return 0;
}
