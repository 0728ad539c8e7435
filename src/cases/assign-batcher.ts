import type { ReportOutcome } from './plan-assignment.ts';
import type { ReportInput } from './plan-report.ts';

type Assign = (reports: readonly ReportInput[]) => Promise<ReportOutcome[]>;

interface Pending {
  report: ReportInput;
  resolve(o: ReportOutcome): void;
  reject(err: unknown): void;
}

/**
 * Groups the reports that concurrent jobs of one process assign while a
 * transaction is in flight into the next one: no wait when the desk is quiet,
 * one transaction (one lock on a busy case, one commit) for many reports when
 * it is not. A batch that fails for a reason other than `isTransient` is
 * retried report by report, so one bad report cannot fail its neighbours.
 */
export class AssignBatcher {
  private queue: Pending[] = [];
  private running = false;

  constructor(
    private readonly assign: Assign,
    private readonly isTransient: (err: unknown) => boolean,
    private readonly maxBatch = 100,
  ) {}

  submit(report: ReportInput): Promise<ReportOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ report, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.run(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      const out = await this.assign(batch.map((p) => p.report));
      batch.forEach((p, i) => p.resolve(out[i]!));
    } catch (err) {
      if (batch.length === 1 || this.isTransient(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      for (const p of batch) await this.run([p]);
    }
  }
}
