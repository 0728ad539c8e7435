import { gunzipSync, gzipSync } from 'node:zlib';
import type { ReportView } from './report-view.ts';
import { searchText } from './report-view.ts';

/** A report's evidence as the store keeps it: compressed, apart from the case rows. */
export interface PackedEvidence {
  messageId: string | null;
  /** The raw message's size before compression. */
  rawBytes: number;
  /** gzip of the raw message; null when the job carried none (a job queued by an older poller). */
  rawGz: Buffer | null;
  viewGz: Buffer;
  /** Subject and text, for the full-text index. */
  search: string;
}

/**
 * Packs a report for the store. `rawGz` is the message as the poller read
 * it, already compressed there (it travels so in the job). Level 6: the
 * default; evidence is written once and read seldom.
 */
export function packEvidence(view: ReportView, rawGz: Buffer | null, rawBytes: number): PackedEvidence {
  // PostgreSQL text holds no NUL; a hostile message may.
  const clean = (s: string): string => s.replace(/\0/g, ' ');
  // The Message-ID as searched: without its angle brackets.
  const messageId = view.messageId ? clean(view.messageId).replace(/^\s*<|>\s*$/g, '').slice(0, 998) : null;
  return { messageId, rawBytes, rawGz, viewGz: gzipSync(JSON.stringify(view)), search: clean(searchText(view)) };
}

export const unpackView = (viewGz: Buffer): ReportView => JSON.parse(gunzipSync(viewGz).toString('utf8')) as ReportView;
export const unpackRaw = (rawGz: Buffer): Buffer => gunzipSync(rawGz);
