import type { Logger } from '../log.ts';
import { scrubbed } from '../log.ts';

export interface OutageGateOptions {
  /** What is out, for the log: "case store", "SMTP relay". */
  what: string;
  /** Resolves when the service works again; rejects while it does not. */
  probe: () => Promise<void>;
  /** The probe's first wait and its cap (jobs.outageProbeMs). */
  initialMs: number;
  maxMs: number;
  logger: Logger;
  /** The outage began (once per outage). */
  onDown?: (err: unknown) => void;
  /** It ended after `outageMs`: wake the jobs parked meanwhile. */
  onUp?: (outageMs: number) => Promise<void> | void;
}

/**
 * One process's view of an outage of a service its jobs need (the case store,
 * the SMTP relay). The first job that meets the outage opens it: one error log,
 * then a single probe with capped backoff instead of every job retrying on its
 * own; jobs arriving meanwhile are parked without trying. When the probe
 * succeeds the outage ends at once: one log line with its duration, and
 * `onUp` wakes the parked jobs. Knows nothing of queues; the worker decides
 * what parking means.
 */
export class OutageGate {
  private since: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private parked = 0;
  private code: string | undefined;

  constructor(private readonly o: OutageGateOptions) {}

  /** Whether the service is out, as far as this process knows. */
  get down(): boolean {
    return this.since !== null;
  }

  /** A job met the outage (its error): opens it if it is not open yet. */
  report(err: unknown): void {
    if (this.since !== null || this.closed) return;
    this.since = Date.now();
    this.parked = 0;
    this.code = (err as { code?: string; responseCode?: number }).code ?? String((err as { responseCode?: number }).responseCode ?? '');
    this.o.logger.error({ code: this.code || undefined, err: scrubbed(err) }, `${this.o.what} unavailable; jobs that need it wait until it answers`);
    this.o.onDown?.(err);
    this.schedule(this.o.initialMs);
  }

  /** Counts a job parked during this outage (for the closing log line). */
  parkedOne(): void {
    this.parked++;
  }

  private schedule(waitMs: number): void {
    this.timer = setTimeout(() => void this.tryProbe(waitMs), waitMs);
    this.timer.unref();
  }

  private async tryProbe(waitedMs: number): Promise<void> {
    if (this.closed || this.since === null) return;
    try {
      await this.o.probe();
    } catch {
      if (!this.closed) this.schedule(Math.min(this.o.maxMs, waitedMs * 2));
      return;
    }
    const outageMs = Date.now() - this.since;
    this.since = null;
    this.o.logger.warn({ outageMs, parked: this.parked, code: this.code || undefined }, `${this.o.what} answers again after ${(outageMs / 1000).toFixed(1)} s; parked jobs resume`);
    try {
      await this.o.onUp?.(outageMs);
    } catch (err) {
      // Parked jobs still wake at their own time; nothing is lost.
      this.o.logger.warn({ err: scrubbed(err) }, `could not wake the jobs parked during the ${this.o.what} outage; they resume on their own`);
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
