import type { ImapFlow } from 'imapflow';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/schema.ts';
import { scrubbed, type Logger } from '../log.ts';
import { messageKey } from '../parse/message-key.ts';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { parseMessage, UnparseableMessageError } from '../parse/parse-message.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import type { TriageJob } from '../queue/payloads.ts';
import { createImapClient, ensureFolder } from './imap-client.ts';
import { ReconnectBackoff } from './reconnect-backoff.ts';
import { toUidSet } from './uid-set.ts';

export interface PollerOptions {
  imap: Config['imap'];
  limits: Config['limits'];
  logger: Logger;
  /** Stores the jobs durably (BullMQ addBulk); must throw if it could not. */
  enqueue: (jobs: TriageJob[]) => Promise<void>;
  /** Called after each batch, for metrics and tests. */
  onBatch?: (stats: BatchStats) => void;
  /** After every successful look at the mailbox, empty or not: the poller's heartbeat. */
  onCheck?: () => void;
}

export interface BatchStats {
  fetched: number;
  queued: number;
  failed: number;
}

// Sources are fetched in chunks of about this many raw bytes (a larger message alone).
const FETCH_CHUNK_BYTES = 8 * 1024 * 1024;

/** UIDs in order, grouped so each group's raw size stays under `max` (one message at least). */
export function chunksBySize(uids: readonly number[], sizes: ReadonlyMap<number, number>, max: number): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizes.get(uid) ?? 0;
    if (cur.length && bytes + size > max) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(uid);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Approximate bytes a parsed message takes in a job: its text, attachment texts, links and headers. */
export function payloadSize(m: ParsedMessage): number {
  let n = m.text.length + m.subject.length;
  for (const a of m.attachments) n += (a.text?.length ?? 0) + 100;
  for (const l of m.links) n += l.length;
  for (const values of Object.values(m.headers)) for (const v of values) n += v.length;
  return n;
}

const gzipAsync = promisify(gzip);

/** The mailbox changed under us (UIDVALIDITY); the batch is abandoned and re-read. */
class MailboxChangedError extends Error {
  override name = 'MailboxChangedError';
}

/**
 * Reads every message in the inbox, parses it, queues one triage job per
 * message, and only then moves it to Processed (or to Failed with a logged
 * reason). The inbox itself is the cursor: whatever is still there, including
 * mail that arrived while we were down, is unfinished work. Nothing is deleted.
 */
export class MailboxPoller {
  private stopped = false;
  private client: ImapFlow | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly backoff: ReconnectBackoff;

  constructor(private readonly opts: PollerOptions) {
    const r = opts.imap.reconnect;
    this.backoff = new ReconnectBackoff(r.initialMs, r.maxMs, r.resetAfterMs);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Finishes the batch in hand (so nothing is half-moved), then logs out. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const log = this.opts.logger;
    while (!this.stopped) {
      let upSince = 0;
      const client = createImapClient(this.opts.imap, log);
      this.client = client;
      client.on('error', (err: Error) => log.warn({ err: scrubbed(err) }, 'IMAP connection error'));
      try {
        await client.connect();
        upSince = Date.now();
        const { mailbox, processedFolder, failedFolder } = this.opts.imap;
        await ensureFolder(client, processedFolder);
        await ensureFolder(client, failedFolder);
        await client.mailboxOpen(mailbox);
        log.info({ mailbox, uidValidity: String(client.mailbox ? client.mailbox.uidValidity : '') }, 'watching mailbox');
        while (!this.stopped && client.usable) {
          const n = await this.ingestBatch(client);
          this.opts.onCheck?.();
          if (n === 0 && !this.stopped) await this.waitForMail(client);
        }
      } catch (err) {
        if (!this.stopped) log.warn({ err: scrubbed(err) }, 'mailbox session ended; reconnecting');
      } finally {
        this.client = null;
        await client.logout().catch(() => client.close());
      }
      if (this.stopped) break;
      const delay = this.backoff.next(upSince ? Date.now() - upSince : 0);
      log.info({ delayMs: delay }, 'reconnecting to IMAP');
      await this.sleepUnlessStopped(delay);
    }
  }

  /** Handles up to batchSize messages; returns how many were in the batch. */
  private async ingestBatch(client: ImapFlow): Promise<number> {
    const { imap, limits, logger: log } = this.opts;
    const box = client.mailbox;
    if (!box) throw new Error('no mailbox selected');
    const uidValidity = box.uidValidity;
    const all = (await client.search({ all: true }, { uid: true })) || [];
    if (all.length === 0) return 0;
    const batch = all.slice(0, imap.batchSize);

    // Sizes first (cheap), then sources in chunks of at most FETCH_CHUNK_BYTES:
    // the batch stops growing once the parsed payload reaches
    // limits.maxBatchBytes, so memory stays bounded however large the
    // messages are; what was not reached stays in INBOX for the next round.
    const failed = new Map<number, string>();
    const jobs: TriageJob[] = [];
    const queuedUids: number[] = [];
    const sizes = new Map<number, number>();
    for await (const msg of client.fetch(toUidSet(batch), { uid: true, size: true }, { uid: true })) sizes.set(msg.uid, msg.size ?? 0);
    const handled: number[] = [];
    let payloadBytes = 0;
    const query = { uid: true, size: true, internalDate: true, source: { maxLength: limits.maxMessageBytes } };
    for (const chunk of chunksBySize(batch, sizes, FETCH_CHUNK_BYTES)) {
      if (payloadBytes >= limits.maxBatchBytes) break;
      for await (const msg of client.fetch(toUidSet(chunk), query, { uid: true })) {
        // Over the budget: drain the chunk's fetch without parsing; those stay in INBOX.
        if (payloadBytes >= limits.maxBatchBytes) continue;
        handled.push(msg.uid);
        if ((msg.size ?? 0) > limits.maxMessageBytes) {
          failed.set(msg.uid, `message is ${msg.size} bytes, over the limit of ${limits.maxMessageBytes} (limits.maxMessageBytes)`);
          continue;
        }
        if (!msg.source) {
          failed.set(msg.uid, 'server returned no message source');
          continue;
        }
        try {
          const message = await parseMessage(msg.source, limits);
          const received = msg.internalDate instanceof Date ? msg.internalDate : new Date();
          // The message as received travels with its job, compressed: the report's evidence.
          const raw = (await gzipAsync(msg.source)).toString('base64');
          payloadBytes += payloadSize(message) + raw.length;
          jobs.push({
            key: messageKey(message.messageId, message.sha256),
            mailbox: imap.mailbox,
            uidValidity: String(uidValidity),
            uid: msg.uid,
            receivedAt: received.toISOString(),
            message,
            raw,
          });
          queuedUids.push(msg.uid);
        } catch (err) {
          if (!(err instanceof UnparseableMessageError)) throw err;
          failed.set(msg.uid, err.reason);
        }
      }
    }

    // Durable in Redis before anything moves: a crash here leaves the messages
    // in the inbox, and their job ids make the next attempt a no-op.
    if (jobs.length) await this.opts.enqueue(jobs);

    if (!client.mailbox || client.mailbox.uidValidity !== uidValidity) {
      throw new MailboxChangedError(`UIDVALIDITY of ${imap.mailbox} changed during a batch; re-reading`);
    }
    if (queuedUids.length) await client.messageMove(toUidSet(queuedUids), imap.processedFolder, { uid: true });
    if (failed.size) {
      await client.messageMove(toUidSet([...failed.keys()]), imap.failedFolder, { uid: true });
      for (const [uid, reason] of failed) {
        log.error({ uid, uidValidity: String(uidValidity), folder: imap.failedFolder, reason }, 'message could not be ingested; moved to the failed folder');
      }
    }
    log.debug({ fetched: handled.length, queued: jobs.length, failed: failed.size, payloadBytes }, 'batch ingested');
    this.opts.onBatch?.({ fetched: handled.length, queued: jobs.length, failed: failed.size });
    return handled.length;
  }

  /** IDLE until the server reports new mail, or poll after pollIntervalMs. */
  private async waitForMail(client: ImapFlow): Promise<void> {
    const useIdle = this.opts.imap.idle && client.capabilities.has('IDLE');
    await new Promise<void>((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        client.off('exists', finish);
        client.off('close', finish);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(finish, this.opts.imap.pollIntervalMs);
      this.wake = finish;
      client.on('exists', finish);
      client.on('close', finish);
      // IDLE ends by itself when the next command (our SEARCH) is sent.
      if (useIdle) client.idle().catch(finish);
    });
  }

  private async sleepUnlessStopped(ms: number): Promise<void> {
    const ac = new AbortController();
    this.wake = () => ac.abort();
    await sleep(ms, undefined, { signal: ac.signal }).catch(() => undefined);
    this.wake = null;
  }
}
