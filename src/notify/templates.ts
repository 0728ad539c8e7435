import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Mustache from 'mustache';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CATEGORIES } from '../classify/category.ts';
import { NOTICE_PARTS } from '../classify/notice-completeness.ts';
import { OUTCOMES } from '../cases/case-vocabulary.ts';
import { TEMPLATE_VARIABLES } from './template-variables.ts';
import type { Language } from '../config/schema.ts';

export const MAIL_KINDS = ['acknowledgement', 'notice', 'escalation', 'decision', 'statement', 'unfounded'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export const LANGUAGES: readonly Language[] = ['en', 'fr'];

/**
 * Templates a kind may have besides its generic one, used when the file
 * exists: `acknowledgement-incomplete` (the notice lacks parts the DSA asks
 * for) and `notice-update` (new reports on a case already notified).
 */
export const OPTIONAL_VARIANTS = ['acknowledgement-incomplete', 'notice-update'] as const;

const labelsSchema = z.strictObject({
  categories: z.strictObject(Object.fromEntries(CATEGORIES.map((c) => [c, z.string().min(1)])) as Record<(typeof CATEGORIES)[number], z.ZodString>),
  reasons: z.strictObject({ hosted: z.string(), registered: z.string(), account: z.string() }),
  noticeParts: z.strictObject(Object.fromEntries(NOTICE_PARTS.map((p) => [p, z.string().min(1)])) as Record<(typeof NOTICE_PARTS)[number], z.ZodString>),
  outcomes: z.strictObject(Object.fromEntries(OUTCOMES.map((o) => [o, z.string().min(1)])) as Record<(typeof OUTCOMES)[number], z.ZodString>),
});
export type Labels = z.infer<typeof labelsSchema>;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export interface Rendered {
  subject: string;
  text: string;
  html?: string;
}

/** Every template and label file, loaded and checked once at start. */
export interface TemplateSet {
  templates: Record<Language, Record<MailKind, string>>;
  /** Other notice templates (notice-<name>, the ladder's rungs), by name. */
  variants: Record<Language, Record<string, string>>;
  /** A category's own templates, by "<kind>.<category>". */
  byCategory: Record<Language, Record<string, string>>;
  /** Optional HTML parts, by the name of the text template they go with ("notice", "notice-warning", "notice.copyright"). */
  html: Record<Language, Record<string, string>>;
  labels: Record<Language, Labels>;
}

/**
 * Loads, for every language, <kind>.mustache for every kind (the generic
 * template), any <kind>.<category>.mustache (that category's own), the
 * ladder's notice-<rung>.mustache and labels.yaml. A language other than the
 * default may leave out a template: the default language's is used. Throws
 * TemplateError naming the missing or broken file.
 */
export function loadTemplates(dir: string, noticeVariants: readonly string[] = [], defaultLanguage: Language = 'en'): TemplateSet {
  const set = { templates: {}, variants: {}, byCategory: {}, html: {}, labels: {} } as TemplateSet;
  const order = [defaultLanguage, ...LANGUAGES.filter((l) => l !== defaultLanguage)];
  for (const lang of order) {
    const fallback = lang === defaultLanguage ? undefined : defaultLanguage;
    const load = (name: string): string => {
      const file = join(dir, lang, `${name}.mustache`);
      if (fallback && !existsSync(file)) return name.includes('.') ? set.byCategory[fallback]![name]! : (set.variants[fallback]![name] ?? set.templates[fallback][name as MailKind]);
      return readTemplate(file);
    };
    set.templates[lang] = {} as Record<MailKind, string>;
    set.variants[lang] = {};
    set.byCategory[lang] = {};
    for (const kind of MAIL_KINDS) set.templates[lang][kind] = load(kind);
    for (const name of new Set(noticeVariants)) if (name !== 'notice') set.variants[lang][name] = load(name);
    // Optional refinements of a kind, used when present in that language (a
    // reader is better served by their language's generic template than by
    // another language's refinement): the request for a complete notice, a
    // notice's update.
    for (const name of OPTIONAL_VARIANTS) {
      if (existsSync(join(dir, lang, `${name}.mustache`))) set.variants[lang][name] = readTemplate(join(dir, lang, `${name}.mustache`));
    }
    const here = existsSync(join(dir, lang)) ? readdirSync(join(dir, lang)) : [];
    // An HTML part goes with a text template when <name>.html.mustache exists beside it.
    set.html[lang] = {};
    for (const f of here) {
      const m = /^(.+)\.html\.mustache$/.exec(f);
      if (m) set.html[lang][m[1]!] = readTemplate(join(dir, lang, f), false);
    }
    for (const kind of MAIL_KINDS) {
      for (const category of CATEGORIES) {
        const name = `${kind}.${category}`;
        if (here.includes(`${name}.mustache`)) set.byCategory[lang][name] = readTemplate(join(dir, lang, `${name}.mustache`));
        else if (fallback && set.byCategory[fallback]![name]) set.byCategory[lang][name] = set.byCategory[fallback]![name]!;
      }
    }
    const labelsFile = join(dir, lang, 'labels.yaml');
    const parsed = labelsSchema.safeParse(parseYaml(readOrThrow(labelsFile)));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
      throw new TemplateError(`labels ${labelsFile} are invalid:\n${issues}`);
    }
    set.labels[lang] = parsed.data;
  }
  return set;
}

/** The variable names a template uses (sections included), in order of first use. */
export function templateVariables(text: string): string[] {
  const names = new Set<string>();
  const walk = (tokens: unknown[]): void => {
    for (const t of tokens as Array<[string, string, number, number, unknown[]?]>) {
      if (['name', '&', '{', '#', '^'].includes(t[0]) && t[1] !== '.') names.add(t[1].split('.')[0]!);
      if (Array.isArray(t[4])) walk(t[4]);
    }
  };
  walk(Mustache.parse(text));
  return [...names];
}

function readTemplate(file: string, withSubject = true): string {
  const text = readOrThrow(file);
  let names: string[];
  try {
    names = templateVariables(text);
  } catch (err) {
    throw new TemplateError(`template ${file} does not parse: ${(err as Error).message}`);
  }
  // A misspelt variable would render as nothing: refuse it, naming it.
  const unknown = names.filter((n) => !(n in TEMPLATE_VARIABLES));
  if (unknown.length) {
    throw new TemplateError(`template ${file} uses ${unknown.map((n) => `{{${n}}}`).join(', ')}, which no mail provides (the variables are listed in src/notify/template-variables.ts and docs/mail.md)`);
  }
  if (withSubject && !/^Subject: .+\r?\n\r?\n/.test(text)) {
    throw new TemplateError(`template ${file} must start with a "Subject: ..." line followed by a blank line`);
  }
  return text;
}

function readOrThrow(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new TemplateError(`cannot read template file ${file} (templates.dir): ${(err as Error).message}`);
  }
}

/** Renders a template to subject and plain text (values as they are), and its HTML part if it has one (values escaped). Pure. */
export function render(set: TemplateSet, kind: MailKind, lang: Language, view: Record<string, unknown>, variant?: string, category?: string): Rendered {
  // A ladder rung's notice first, then the category's own template, then the kind's generic one.
  const name = (variant && set.variants[lang][variant] && variant) || (category && set.byCategory[lang][`${kind}.${category}`] && `${kind}.${category}`) || kind;
  const template = set.variants[lang][name] ?? set.byCategory[lang][name] ?? set.templates[lang][kind];
  const out = Mustache.render(template, view, undefined, { escape: (s: unknown) => String(s) });
  const split = out.indexOf('\n\n');
  const subject = out.slice('Subject: '.length, split).replace(/\s+/g, ' ').trim();
  // Collapse runs of blank lines left by empty sections.
  const text = out.slice(split + 2).replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
  // The HTML part, when there is one, escapes every value (Mustache's HTML escaping).
  // (Only the HTML written for this very template: a rung's notice never gets the generic notice's HTML.)
  const htmlTemplate = set.html[lang][name];
  return { subject, text, ...(htmlTemplate ? { html: Mustache.render(htmlTemplate, view) } : {}) };
}
