import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { scrubbed } from '../../src/log.ts';
import { redactExcerpt } from '../../src/notify/redact.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';
import { corpusFile } from './corpus.ts';

/**
 * Hostile complaint bodies: for each character or token that the extractors
 * treat specially, long runs of it, alone and mixed into real text. Used by
 * the hostile unit test and by bench:hostile, so both measure the same thing.
 */
export interface HostileCase {
  family: string;
  /** Where the run goes: the body, or a header field. */
  place: 'body' | 'header';
  raw: Buffer;
}

// Each family: a token repeated, sometimes after a prefix that arms a pattern.
const FAMILIES: Array<[string, (n: number) => string]> = [
  ['url-close-paren', (n) => `see http://bad.example.com/x${')'.repeat(n)}`],
  ['url-close-bracket', (n) => `see http://bad.example.com/x${']'.repeat(n)}`],
  ['url-open-paren', (n) => `see http://bad.example.com/x${'('.repeat(n)}`],
  ['url-mixed-brackets', (n) => `http://bad.example.com/${'()[]'.repeat(n / 4)}`],
  ['url-trailing-dots', (n) => `http://bad.example.com/x${'.,;:!?'.repeat(n / 6)}`],
  ['open-parens', (n) => '('.repeat(n)],
  ['close-parens', (n) => ')'.repeat(n)],
  ['brackets', (n) => '[]'.repeat(n / 2)],
  ['dots', (n) => '.'.repeat(n)],
  ['dot-labels', (n) => 'a.'.repeat(n / 2)],
  ['digit-dots', (n) => '1.'.repeat(n / 2)],
  ['digits', (n) => '1'.repeat(n)],
  ['slashes', (n) => '/'.repeat(n)],
  ['colons', (n) => ':'.repeat(n)],
  ['hex-colons', (n) => 'a:'.repeat(n / 2)],
  ['at-signs', (n) => '@'.repeat(n)],
  ['at-words', (n) => 'a@'.repeat(n / 2)],
  ['hyphens', (n) => '-'.repeat(n)],
  ['label-hyphens', (n) => `a${'-'.repeat(n)}b.com`],
  ['spaces', (n) => ' '.repeat(n)],
  ['tabs', (n) => '\t'.repeat(n)],
  ['newlines', (n) => '\n'.repeat(n)],
  ['space-newline', (n) => ' \n'.repeat(n / 2)],
  ['letters', (n) => 'a'.repeat(n)],
  ['address-chars', (n) => 'a.b_c%d+e-'.repeat(n / 10)],
  ['http-repeated', (n) => 'http://'.repeat(n / 7)],
  ['hxxp-repeated', (n) => 'hxxp[:]//'.repeat(n / 9)],
  ['defang-dots', (n) => 'a[.]'.repeat(n / 4)],
  ['defang-mixed', (n) => '[.](.){.}[dot][:][@]'.repeat(n / 20)],
  ['amp-entities', (n) => '&amp;'.repeat(n / 5)],
  ['href-repeated', (n) => '<a href='.repeat(n / 8)],
  ['angle-brackets', (n) => '<'.repeat(n)],
  ['base64', (n) => base64Block(n)],
  ['received-spaces', (n) => `Received: from${' '.repeat(n)}x`],
  ['received-from', (n) => `Received: ${'from '.repeat(n / 5)}`],
  ['received-brackets', (n) => `Received: from x (${'['.repeat(n)}`],
  ['received-by', (n) => `Received: from a ${'by '.repeat(n / 3)}`],
  ['phone-digits', (n) => '+1 (415) '.repeat(n / 9)],
  ['digit-separators', (n) => '0-'.repeat(n / 2)],
  ['signature-lines', (n) => 'Regards,\n'.repeat(n / 9)],
  ['quoted-lines', (n) => '> '.repeat(n / 2)],
  ['forward-markers', (n) => '-----Original Message-----\n'.repeat(n / 27)],
  ['email-chain', (n) => 'a@b.'.repeat(n / 4)],
  ['ipv6-chain', (n) => '1:'.repeat(n / 2)],
  ['percent', (n) => '%'.repeat(n)],
  ['unicode-letters', (n) => 'é'.repeat(n)],
  // The mail path and SpamCop readers: quote markers before a banner, SPF verdicts, pasted folds, double-spaced hops, client fields.
  ['spamcop-quoted', (n) => `${'> '.repeat(n / 2)}[ SpamCop V5.4.0 ]\nEmail from 192.0.2.1 / now`],
  ['spf-pass', (n) => `Received: from a.test (a.test [192.0.2.1]) by b.test\n${'spf=pass (x: domain of a@b.test '.repeat(n / 33)}`],
  ['received-pasted-folds', (n) => `Received: from a\n${'(b [192.0.2.1])\nby c\n'.repeat(n / 21)}`],
  ['received-double-spaced', (n) => 'Received: from a.test (192.0.2.1) by\n\n b.test with SMTP\n\n'.repeat(n / 56)],
  ['client-fields', (n) => 'X-Originating-IP: [192.0.2.'.repeat(n / 26)],
  ['quoted-signoffs', (n) => '> Sincerely,\n> Jane\n'.repeat(n / 21)],
  ['received-flattened', (n) => `Received: from a (192.0.2.1) by b ${'xReceived: from '.repeat(n / 16)}`],
  // The reporter-detail readers: obfuscated addresses, self-introductions, signature lines with no sign-off.
  ['obfuscated-at', (n) => `jane${' (at) mail'.repeat(n / 10)}`],
  ['obfuscated-dots', (n) => `jane [at] mail${' [dot] x'.repeat(n / 8)}`],
  ['capital-at-dot', (n) => `jane AT mail${' DOT x'.repeat(n / 6)}`],
  ['self-introductions', (n) => 'my name is Jane Doe I am Jane '.repeat(n / 30)],
  ['name-lines', (n) => 'Jane Doe\nSenior Analyst, Acme Corp\n'.repeat(n / 34)],
];

function base64Block(n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < n; i++) s += (i + 1) % 77 === 0 ? '\n' : alphabet[(i * 7919) % 64];
  return s;
}

/** The family names, in a stable order. */
export const HOSTILE_FAMILIES = FAMILIES.map(([name]) => name);

function message(headers: string, body: string): Buffer {
  return Buffer.from(
    `From: Reporter <reporter@reporter.test>\r\nTo: abuse@example.net\r\nSubject: Phishing at http://bad.example.com/login\r\nMessage-ID: <hostile-${Math.random().toString(36).slice(2)}@reporter.test>\r\n${headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
    'utf8',
  );
}

/**
 * Messages for every family at the given size: the run alone in the body,
 * the run mixed into `realText` (a corpus complaint's text), and the run
 * folded into a header field.
 */
export function hostileMessages(size: number, realText = 'Please take down the phishing page at http://bad.example.com/login, hosted on 203.0.113.7.'): HostileCase[] {
  const out: HostileCase[] = [];
  for (const [family, make] of FAMILIES) {
    const run = make(size).slice(0, size);
    out.push({ family, place: 'body', raw: message('', run) });
    const half = Math.floor(realText.length / 2);
    out.push({ family, place: 'body', raw: message('', `${realText.slice(0, half)} ${run} ${realText.slice(half)}\n${run}`) });
    // Headers: folded every 500 characters so the field stays a legal header.
    const folded = run.replace(/[\r\n]/g, ' ').replace(/(.{500})/g, '$1\r\n ');
    out.push({ family, place: 'header', raw: message(`X-Hostile: ${folded}\r\nReceived: from ${folded}\r\n`, realText) });
  }
  return out;
}

export interface HostileRun {
  family: string;
  place: string;
  ms: number;
  /** "triaged", or "rejected: <reason>". */
  outcome: string;
}

/**
 * Everything abuse-desk does with a message's text, in order: parse, triage
 * (analysis and conclusion), the notice excerpt's redaction and the log
 * scrubber, timed together. A rejection (not an e-mail) is an outcome too.
 */
export async function runHostile(c: HostileCase, deps: {
  parse: (raw: Buffer) => Promise<{ text: string }>;
  triage: (m: never) => unknown;
  redact: (text: string) => string;
  scrub: (err: unknown) => string;
}): Promise<HostileRun> {
  const t0 = performance.now();
  let outcome = 'triaged';
  try {
    const m = await deps.parse(c.raw);
    deps.triage(m as never);
    deps.redact(m.text);
    deps.scrub(new Error(m.text));
  } catch (err) {
    if ((err as Error).name !== 'UnparseableMessageError') throw err;
    outcome = `rejected: ${(err as Error).message}`;
  }
  return { family: c.family, place: c.place, ms: performance.now() - t0, outcome };
}

/**
 * The real steps with the default configuration and example directory, and a
 * corpus complaint's text to mix the runs into: what the test and the bench
 * both run.
 */
export async function defaultHostileSetup() {
  const config = loadConfig({ env: {} });
  const directory = await loadDirectory(sourceOf(config.directory));
  const settings = triageSettings(config);
  const deps = {
    parse: (raw: Buffer) => parseMessage(raw, config.limits),
    triage: (m: never) => decide(m, directory, settings),
    redact: (text: string) => redactExcerpt(text, { names: ['Reporter Name'], addresses: ['reporter@reporter.test'] }, config.limits.noticeExcerptChars),
    scrub: scrubbed,
  };
  // A French phishing report from the corpus.
  const corpus = readFileSync(corpusFile('ovh-cerberus-core/sample3'));
  const corpusText = (await parseMessage(corpus, config.limits)).text.slice(0, 4000);
  return { config, directory, settings, deps, corpusText };
}
