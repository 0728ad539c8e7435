/** A mailbox address as written in a header. */
export interface Address {
  name: string;
  address: string;
}

/** A part of the message kept as text for triage (attached messages, reports, CSV...). */
export interface TextAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  /** Decoded text, cut at the configured limit; null for binary parts. */
  text: string | null;
}

/**
 * Everything triage needs from one e-mail, as plain JSON so it can travel in a
 * job. Produced only by parse-message.ts (the one module that imports mailparser).
 */
export interface ParsedMessage {
  /** sha256 of the raw message, hex. */
  sha256: string;
  size: number;
  messageId: string | null;
  subject: string;
  date: string | null;
  from: Address | null;
  replyTo: Address | null;
  sender: Address | null;
  to: Address[];
  cc: Address[];
  inReplyTo: string | null;
  references: string[];
  /** Top-level MIME type, lower case, e.g. "multipart/report". */
  contentType: string;
  /** Parameters of the top-level Content-Type, e.g. { "report-type": "feedback-report" }. */
  contentTypeParams: Record<string, string>;
  /** Header fields by lower-case name, each value unfolded, in message order. */
  headers: Record<string, string[]>;
  /** Body text (HTML-only mail is converted to text). */
  text: string;
  /** href targets found in the HTML body. */
  links: string[];
  attachments: TextAttachment[];
  /** True when text or headers were cut to the configured limits. */
  truncated: boolean;
}
