import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { scrubbed, type Logger } from '../log.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { describeSource, loadDirectory, type DirectorySource } from './load-directory.ts';

export interface HolderOptions {
  /** Reload a file source when it changes. */
  watch: boolean;
  /** Reload every N seconds (0: never). */
  reloadIntervalSec: number;
}

/**
 * Holds the current directory. A reload builds a new index aside and swaps
 * the reference in one assignment: a job sees the old or the new directory,
 * never half of one, and no worker waits. A source that fails to load keeps
 * the previous index and logs an error. Reloads never overlap; one asked for
 * during another runs right after it.
 */
export class DirectoryHolder {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  private again = false;
  /** Completed reloads, successful or not (for tests and metrics). */
  reloads = 0;
  /** When the directory in use was loaded (ms since the epoch): its age in /metrics. */
  loadedAt = Date.now();
  /** Reloads that failed and kept the previous directory. */
  failedReloads = 0;

  private constructor(
    private current: CustomerDirectory,
    private readonly source: DirectorySource,
    private readonly logger: Logger,
  ) {}

  /** Loads the source once (throwing if it is invalid), then keeps it fresh as configured. */
  static async open(source: DirectorySource, logger: Logger, opts: HolderOptions): Promise<DirectoryHolder> {
    const started = Date.now();
    const holder = new DirectoryHolder(await loadDirectory(source), source, logger);
    logger.info({ source: describeSource(source), ...holder.current.counts, ms: Date.now() - started }, 'customer directory loaded');
    if (opts.watch && source.kind !== 'postgres') holder.watchFile();
    if (opts.reloadIntervalSec > 0) {
      holder.timer = setInterval(() => void holder.reload(), opts.reloadIntervalSec * 1000);
      holder.timer.unref();
    }
    return holder;
  }

  get(): CustomerDirectory {
    return this.current;
  }

  /** Reloads now; resolves to whether the new directory is in use. */
  reload(): Promise<boolean> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.load().finally(() => {
      this.running = null;
      this.reloads++;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  private async load(): Promise<boolean> {
    const started = Date.now();
    try {
      const next = await loadDirectory(this.source);
      this.current = next;
      this.loadedAt = Date.now();
      this.logger.info({ source: describeSource(this.source), ...next.counts, ms: Date.now() - started }, 'customer directory reloaded');
      return true;
    } catch (err) {
      this.failedReloads++;
      this.logger.error({ source: describeSource(this.source), err: scrubbed(err) }, 'customer directory reload failed; keeping the previous one');
      return false;
    }
  }

  // Editors and deploy tools replace a file by renaming a new one over it,
  // which ends a watch on the file itself: watch its folder instead.
  private watchFile(): void {
    const name = basename(this.source.location);
    this.watcher = watch(dirname(this.source.location), (_event, file) => {
      if (file !== null && file.toString() !== name) return;
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(), 200);
    });
    this.watcher.on('error', (err) => this.logger.warn({ err: scrubbed(err) }, 'cannot watch the customer directory file; SIGHUP still reloads it'));
  }

  close(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
  }
}
