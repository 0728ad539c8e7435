import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import type { Address, ParsedMessage, TextAttachment } from './parsed-message.ts';

/** The message cannot be read as an e-mail; `reason` says why, without its content. */
export class UnparseableMessageError extends Error {
  override name = 'UnparseableMessageError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface ParseLimits {
  maxMessageBytes: number;
  maxTextChars: number;
}

// Measured: linkify and text-to-HTML double the parse cost and we use neither.
// HTML-to-text stays on: HTML-only complaints need their text.
const PARSER_OPTIONS = {
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepDeliveryStatus: true,
  maxHtmlLengthToParse: 2 * 1024 * 1024,
} as const;

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_ATTACHMENT_TEXT = 256 * 1024;
const MAX_ATTACHMENTS = 50;
const MAX_LINKS = 500;
// RFC 5322 field names are printable ASCII without colon or space. A blob with
// no such field (an Outlook .msg, a binary) is not an e-mail; a MIME fragment
// with only Content-Type is, and is read as far as it goes.
const FIELD_NAME = /^[!-9;-~]{1,76}$/;
// Parts worth reading as text: attached messages, machine reports, logs and CSV feeds.
const TEXT_TYPES = /^(text\/|message\/(rfc822|feedback-report|delivery-status|global)|application\/(json|xml|csv|x-arf|yaml))/;
const TEXT_NAMES = /\.(txt|csv|log|eml|json|xml|ya?ml)$/i;
// Feeds (Shadowserver, UCEPROTECT...) send their CSV zipped. Only text entries
// are read, and only those that say they inflate to a bounded size: a zip
// bomb costs nothing but a line in the log.
const ZIP = /^application\/(zip|x-zip(-compressed)?)$|\.zip$/i;
const MAX_ZIP_ENTRY_BYTES = 16 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 10;

/** sha256 of the raw bytes; also the content half of a message's identity. */
export function sha256Hex(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/**
 * Parses one raw RFC 5322 message into plain data for triage.
 * Throws UnparseableMessageError when it is over the size limit or is not an e-mail.
 */
export async function parseMessage(raw: Buffer, limits: ParseLimits): Promise<ParsedMessage> {
  if (raw.length > limits.maxMessageBytes) {
    throw new UnparseableMessageError(`message is ${raw.length} bytes, over the limit of ${limits.maxMessageBytes} (limits.maxMessageBytes)`);
  }
  if (raw.length === 0) throw new UnparseableMessageError('message is empty');
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, PARSER_OPTIONS);
  } catch (err) {
    throw new UnparseableMessageError(`MIME parser failed: ${(err as Error).message}`);
  }
  const headers = collectHeaders(mail);
  if (!Object.keys(headers.record).some((name) => FIELD_NAME.test(name))) {
    throw new UnparseableMessageError('no e-mail header fields found (not an RFC 5322 message)');
  }
  let truncated = headers.truncated;
  let text = mail.text ?? '';
  // mailparser converts HTML to text only for a top-level or alternative HTML
  // part; an HTML-only body inside multipart/mixed would otherwise read as empty.
  if (!text.trim() && typeof mail.html === 'string' && mail.html.length <= PARSER_OPTIONS.maxHtmlLengthToParse) {
    try {
      text = htmlToText(mail.html, { wordwrap: false });
    } catch {
      // Unreadable HTML: the hrefs below still give the links.
    }
  }
  if (text.length > limits.maxTextChars) {
    text = text.slice(0, limits.maxTextChars);
    truncated = true;
  }
  const ct = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  return {
    sha256: sha256Hex(raw),
    size: raw.length,
    messageId: cleanId(mail.messageId),
    subject: mail.subject ?? '',
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    from: first(mail.from),
    replyTo: first(mail.replyTo),
    sender: first(mail.headers.get('sender') as AddressObject | undefined),
    to: all(mail.to),
    cc: all(mail.cc),
    inReplyTo: cleanId(mail.inReplyTo),
    references: (Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])
      .map(cleanId)
      .filter((x): x is string => x !== null),
    contentType: (ct?.value ?? 'text/plain').toLowerCase(),
    contentTypeParams: Object.fromEntries(Object.entries(ct?.params ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
    headers: headers.record,
    text,
    links: typeof mail.html === 'string' ? extractHrefs(mail.html) : [],
    attachments: mail.attachments.slice(0, MAX_ATTACHMENTS).flatMap(toTextAttachments).slice(0, MAX_ATTACHMENTS),
    truncated,
  };
}

function collectHeaders(mail: ParsedMail): { record: Record<string, string[]>; truncated: boolean } {
  const record: Record<string, string[]> = Object.create(null);
  let bytes = 0;
  for (const { key, line } of mail.headerLines ?? []) {
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim();
    bytes += key.length + value.length;
    if (bytes > MAX_HEADER_BYTES) return { record, truncated: true };
    (record[key.toLowerCase()] ??= []).push(value);
  }
  return { record, truncated: false };
}

function toTextAttachments(att: ParsedMail['attachments'][number]): TextAttachment[] {
  const contentType = (att.contentType ?? 'application/octet-stream').toLowerCase();
  const filename = att.filename ?? null;
  const isText = TEXT_TYPES.test(contentType) || TEXT_NAMES.test(filename ?? '');
  const part: TextAttachment = { filename, contentType, size: att.size, text: isText ? att.content.subarray(0, MAX_ATTACHMENT_TEXT).toString('utf8') : null };
  return ZIP.test(contentType) || ZIP.test(filename ?? '') ? [part, ...unzipText(att.content, filename)] : [part];
}

/** Text entries of a zip attachment, each as an attachment named "archive.zip/entry.csv". */
function unzipText(content: Buffer, archive: string | null): TextAttachment[] {
  let entries: Record<string, Uint8Array>;
  let seen = 0;
  try {
    entries = unzipSync(new Uint8Array(content.buffer, content.byteOffset, content.length), {
      filter: (f) => ++seen <= MAX_ZIP_ENTRIES && TEXT_NAMES.test(f.name) && f.originalSize <= MAX_ZIP_ENTRY_BYTES,
    });
  } catch {
    return []; // Not a zip after all, or damaged: the part itself is kept as binary.
  }
  return Object.entries(entries).map(([name, bytes]) => ({
    filename: `${archive ?? 'archive.zip'}/${name}`,
    contentType: /\.csv$/i.test(name) ? 'text/csv' : /\.json$/i.test(name) ? 'application/json' : 'text/plain',
    size: bytes.length,
    text: Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, MAX_ATTACHMENT_TEXT)).toString('utf8'),
  }));
}

function toAddress(a: EmailAddress): Address | null {
  return a.address ? { name: a.name ?? '', address: a.address.toLowerCase() } : null;
}

function all(field: AddressObject | AddressObject[] | undefined): Address[] {
  if (!field) return [];
  const objects = Array.isArray(field) ? field : [field];
  const out: Address[] = [];
  for (const obj of objects) {
    for (const v of obj.value ?? []) {
      // Group syntax nests addresses one level down.
      for (const member of v.group ?? [v]) {
        const addr = toAddress(member);
        if (addr) out.push(addr);
      }
    }
  }
  return out;
}

function first(field: AddressObject | AddressObject[] | undefined): Address | null {
  return all(field)[0] ?? null;
}

function cleanId(id: string | undefined | null): string | null {
  if (!id) return null;
  const trimmed = id.trim();
  return trimmed ? (trimmed.startsWith('<') ? trimmed : `<${trimmed}>`) : null;
}

const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

function extractHrefs(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(HREF)) {
    const href = (m[1] ?? m[2] ?? m[3] ?? '').trim().replace(/&amp;/g, '&');
    if (/^(https?|hxxps?|ftp):/i.test(href)) out.add(href);
    if (out.size >= MAX_LINKS) break;
  }
  return [...out];
}
