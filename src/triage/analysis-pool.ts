import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import type { ThreadReply } from './analysis-thread.ts';
import type { Analysis } from './decide.ts';

/** The analysis did not finish within its budget, or its thread died: a person must look. */
export class AnalysisAbandonedError extends Error {
  override name = 'AnalysisAbandonedError';
}

export interface AnalysisPool {
  /** Analyses in a thread; rejects with AnalysisAbandonedError past the budget. */
  analyse(message: ParsedMessage): Promise<Analysis>;
  close(): Promise<void>;
}

interface Pending {
  id: number;
  message: ParsedMessage;
  resolve: (a: Analysis) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Pending | null;
  timer: NodeJS.Timeout | null;
}

const ENTRY = new URL('./analysis-thread.mjs', import.meta.url);

/**
 * Runs triage's text analysis in worker threads with a hard time budget.
 * A check inside the loop could not stop a regular expression that never
 * returns (an ops rule that backtracks, an input no test foresaw); a thread
 * can be terminated from outside. A thread over budget is terminated and
 * replaced, and the other threads go on meanwhile, so one hostile message
 * holds up one slot for at most the budget.
 */
export function createAnalysisPool(config: Readonly<Config>, logger: Logger): AnalysisPool {
  const { triageThreads, triageBudgetMs } = config.workers;
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(ENTRY, { workerData: config }), ready: false, job: null, timer: null };
    slot.worker.on('message', (reply: ThreadReply) => {
      if (reply.id === 0) {
        slot.ready = true;
        return pump();
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      finish(slot);
      if (reply.analysis) job.resolve(reply.analysis);
      else job.reject(new Error(`analysis failed: ${reply.error}`));
      pump();
    });
    // A thread that dies (out of memory, a crash in a native module) takes its job with it.
    slot.worker.on('error', (err) => abandon(slot, `analysis thread died: ${err.message}`));
    slot.worker.on('exit', (code) => {
      if (!closed) abandon(slot, `analysis thread exited with code ${code}`);
    });
    return slot;
  };
  const slots: Slot[] = Array.from({ length: triageThreads }, spawn);

  const finish = (slot: Slot): void => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  };

  /** Fails the slot's job (if any) and puts a fresh thread in its place. */
  const abandon = (slot: Slot, reason: string): void => {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    const job = slot.job;
    finish(slot);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    if (closed) return;
    slots[i] = spawn();
    if (job) {
      logger.error({ reason }, 'analysis abandoned; the complaint goes to a person');
      job.reject(new AnalysisAbandonedError(reason));
    } else {
      logger.error({ reason }, 'analysis thread replaced');
    }
  };

  const pump = (): void => {
    for (const slot of slots) {
      if (!queue.length) return;
      if (!slot.ready || slot.job) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => abandon(slot, `analysis took over ${triageBudgetMs} ms (workers.triageBudgetMs)`), triageBudgetMs);
      slot.worker.postMessage({ id: job.id, message: job.message });
    }
  };

  return {
    analyse(message) {
      if (closed) return Promise.reject(new Error('analysis pool is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, message, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('analysis pool closed'));
      await Promise.all(
        slots.map((slot) => {
          finish(slot);
          return slot.worker.terminate();
        }),
      );
    },
  };
}
