import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CATEGORIES, type Category } from '../config/category-names.ts';

const category = z.enum(CATEGORIES);
const patterns = z.array(z.string().min(1)).min(1);
const ordered = z.array(z.strictObject({ match: z.string().min(1), category }));

const rulesSchema = z.strictObject({
  wording: z.strictObject(Object.fromEntries(CATEGORIES.filter((c) => c !== 'other').map((c) => [c, patterns])) as Record<Exclude<Category, 'other'>, typeof patterns>),
  structured: z.strictObject({
    arfFeedbackType: z.record(z.string(), category),
    xarf: z.record(z.string(), category),
    xarf4: z.record(z.string(), category),
  }),
  feeds: ordered,
  phrases: ordered,
  priority: z.strictObject({ threatToLife: patterns, doxxing: patterns }),
  goodFaith: patterns,
  machineSenders: patterns,
  roles: z.strictObject({
    contextCues: patterns,
    contactCues: patterns,
    contextLabels: patterns,
    contextIntros: patterns,
    reportedLabels: patterns,
    signOffs: patterns,
    referenceDomains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a domain or host name in lower case, e.g. spamhaus.org')).min(1),
    documentPaths: patterns,
    contactMailboxes: patterns,
  }),
});

/** Triage rules, compiled: what config/rules/triage.yaml says. */
export interface Rules {
  /** In the order written: ties go to the earlier category. */
  wording: Array<[Category, RegExp]>;
  /** Any category's wording, not global: words that accuse what they are written about (target-basis.ts). */
  anyWording: RegExp;
  arfFeedbackType: Readonly<Record<string, Category>>;
  xarf: Readonly<Record<string, Category>>;
  /** XARF v4 "category/type" or "category". */
  xarf4: Readonly<Record<string, Category>>;
  /** Feed report names (e.g. "scan_redis"), first match wins. */
  feeds: OrderedRule[];
  /** Phrases that name the abuse outright (report templates, log lines); first match wins, before the wording. */
  phrases: OrderedRule[];
  threatToLife: RegExp;
  doxxing: RegExp;
  goodFaith: RegExp;
  /** From addresses of reporting services. */
  machineSenders: RegExp;
  roles: RoleRules;
}

/** The words target roles are read from (src/classify/target-roles.ts). */
export interface RoleRules {
  /** Every cue (global, for the last one on a line). */
  contextCues: RegExp;
  /** Cues naming an address to write to, read in the reporter's own words only (global). */
  contactCues: RegExp;
  contextLabels: RegExp;
  /** Words on a line introducing the name under it as the genuine one or the reporter's own. */
  contextIntros: RegExp;
  reportedLabels: RegExp;
  /** Sign-off lines (global, multiline). */
  signOffs: RegExp;
  /** Registrable domains, or whole host names (pgp.mit.edu). */
  referenceDomains: ReadonlySet<string>;
  /** First path segment of a documentation or reference page ("/docs/…", "/en/faq"). */
  documentPaths: RegExp;
  /** Local parts of desks' mailboxes, to write to, never accused (abuse@, noc@, dmca@). */
  contactMailboxes: RegExp;
}

export interface OrderedRule {
  re: RegExp;
  category: Category;
  /** The pattern as written, for the decision's why. */
  pattern: string;
}

export class RulesError extends Error {
  override name = 'RulesError';
}

/** One regular expression for a list of patterns: between word boundaries, or (whole) matching the whole value. */
function compile(list: string[], key: string, flags: string, whole = false): RegExp {
  list.forEach((p, i) => {
    try {
      new RegExp(p);
    } catch (err) {
      throw new RulesError(`${key}[${i}]: ${(err as Error).message}; fix the pattern ${JSON.stringify(p)}`);
    }
  });
  return new RegExp(whole ? `^(${list.join('|')})$` : `\\b(${list.join('|')})\\b`, flags);
}

/** A list of patterns as one alternation with the given wrapper, each checked first so an error names it. */
function compileAs(list: string[], key: string, wrap: (alternation: string) => string, flags: string): RegExp {
  list.forEach((p, i) => {
    try {
      new RegExp(p, 'u');
    } catch (err) {
      throw new RulesError(`${key}[${i}]: ${(err as Error).message}; fix the pattern ${JSON.stringify(p)}`);
    }
  });
  return new RegExp(wrap(`(?:${list.join('|')})`), flags);
}

// A label word stands between non-letters (Unicode aware, unlike \b).
const asLabel = (alt: string): string => `(?:^|[^\\p{L}])${alt}(?:[^\\p{L}]|$)`;
// A cue starts a word: "own" is not in "known", "echte" not in "Rechte".
const asCue = (alt: string): string => `(?<![\\p{L}\\p{N}])${alt}`;

/** Validates and compiles rules data; errors name the key and the bad pattern. */
export function compileRules(data: unknown, source: string): Rules {
  const parsed = rulesSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new RulesError(`triage rules ${source} are invalid:\n${lines.join('\n')}`);
  }
  const r = parsed.data;
  try {
    return {
      wording: Object.entries(r.wording).map(([cat, list]) => [cat as Category, compile(list, `wording.${cat}`, 'gi')]),
      anyWording: compile(Object.values(r.wording).flat(), 'wording', 'i'),
      arfFeedbackType: r.structured.arfFeedbackType,
      xarf: r.structured.xarf,
      xarf4: r.structured.xarf4,
      feeds: r.feeds.map((f, i) => ({ re: compile([f.match], `feeds[${i}].match`, 'i'), category: f.category, pattern: f.match })),
      phrases: r.phrases.map((f, i) => ({ re: compile([f.match], `phrases[${i}].match`, 'i'), category: f.category, pattern: f.match })),
      threatToLife: compile(r.priority.threatToLife, 'priority.threatToLife', 'i'),
      doxxing: compile(r.priority.doxxing, 'priority.doxxing', 'i'),
      goodFaith: compile(r.goodFaith, 'goodFaith', 'i'),
      machineSenders: compile(r.machineSenders, 'machineSenders', 'i', true),
      roles: {
        contextCues: compileAs(r.roles.contextCues, 'roles.contextCues', asCue, 'giu'),
        contactCues: compileAs(r.roles.contactCues, 'roles.contactCues', asCue, 'giu'),
        contextLabels: compileAs(r.roles.contextLabels, 'roles.contextLabels', asLabel, 'iu'),
        contextIntros: compileAs(r.roles.contextIntros, 'roles.contextIntros', asLabel, 'iu'),
        reportedLabels: compileAs(r.roles.reportedLabels, 'roles.reportedLabels', asLabel, 'iu'),
        signOffs: compileAs(r.roles.signOffs, 'roles.signOffs', (a) => `^[ \\t>]*${a}[,.!]?[ \\t]*$`, 'gimu'),
        referenceDomains: new Set(r.roles.referenceDomains),
        // An optional language segment first: /en/docs/, /fr-fr/faq.
        documentPaths: compileAs(r.roles.documentPaths, 'roles.documentPaths', (a) => `^/(?:[a-z]{2}(?:[-_][a-z]{2})?/)?${a}(?:[/?#._-]|$)`, 'i'),
        contactMailboxes: compileAs(r.roles.contactMailboxes, 'roles.contactMailboxes', (a) => `^(?:[\\w-]+[._-])?${a}(?:[+._-][^@]*)?@`, 'i'),
      },
    };
  } catch (err) {
    if (err instanceof RulesError) throw new RulesError(`triage rules ${source}: ${err.message}`);
    throw err;
  }
}

const cache = new Map<string, Rules>();

/** Reads and compiles a rules file once per path. */
export function loadRules(file: string): Rules {
  let rules = cache.get(file);
  if (!rules) {
    let data: unknown;
    try {
      data = parseYaml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new RulesError(`cannot read triage rules ${file} (rules.file): ${(err as Error).message}`);
    }
    rules = compileRules(data, file);
    cache.set(file, rules);
  }
  return rules;
}
