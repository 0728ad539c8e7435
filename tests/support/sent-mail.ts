import type { SunkMail } from '../../src/dev/smtp-sink.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import type { ParsedMessage } from '../../src/parse/parsed-message.ts';

export interface SentMail {
  to: string;
  subject: string;
  text: string;
  raw: string;
  message: ParsedMessage;
  header(name: string): string | undefined;
}

/** Reads what the sink received, parsed, one entry per recipient. */
export async function readSent(mails: readonly SunkMail[]): Promise<SentMail[]> {
  const out: SentMail[] = [];
  for (const m of mails) {
    const message = await parseMessage(m.raw, { maxMessageBytes: 1e7, maxTextChars: 1e6 });
    for (const to of m.to) {
      out.push({
        to,
        subject: message.subject,
        text: message.text,
        raw: m.raw.toString('utf8'),
        message,
        header: (name) => message.headers[name.toLowerCase()]?.[0],
      });
    }
  }
  return out;
}

export const CASE_REF = /\[(AD-\d{4}-\d{6,})\]/;
