import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import { analyse, type Analysis } from './decide.ts';
import { triageSettings } from './triage-settings.ts';

/** A request to an analysis thread, and its answer. */
export type ThreadRequest = { id: number; message: ParsedMessage };
export type ThreadReply = { id: number; analysis?: Analysis; error?: string };

// The thread reads and compiles the rules itself: compiled patterns do not
// travel between threads, the config (plain data) does.
const settings = triageSettings(workerData as Config);
const port = parentPort!;

port.on('message', ({ id, message }: ThreadRequest) => {
  let reply: ThreadReply;
  try {
    reply = { id, analysis: analyse(message, settings) };
  } catch (err) {
    reply = { id, error: String((err as Error)?.stack ?? err).slice(0, 2000) };
  }
  port.postMessage(reply);
});
port.postMessage({ id: 0 } satisfies ThreadReply);
