import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger factory. Logs carry ids (case refs, message keys, UIDs), never
 * bodies or addresses; `redact` is the safety net for fields that must not leak.
 */
export function createLogger(level: string, name = 'abuse-desk', destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: ['password', '*.password', 'auth', '*.auth', 'text', '*.text', 'html', 'to', '*.to', 'from', '*.from', 'subject', '*.subject', 'email', '*.email', 'excerpt', '*.excerpt'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

// Anything with an "@" inside a run of non-separators. The lookbehind starts a
// match only where such a run starts, so a long run without "@" is scanned once.
const ADDRESS = /(?<![^\s<>()"':,;])[^\s<>()"':,;]+@[^\s<>()"':,;]+/g;
// Longer error texts are cut first: only the first 500 characters are logged.
const MAX_SCANNED = 2000;

/** Error text for a log line: SMTP and IMAP replies often quote addresses, which must not reach the logs. */
export function scrubbed(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  // Cut at a separator so a half address at the cut is still caught whole.
  const head = text.slice(0, MAX_SCANNED);
  const space = text.length > MAX_SCANNED ? Math.max(head.lastIndexOf(' '), head.lastIndexOf('\n')) : -1;
  return (space > 0 ? head.slice(0, space) : head).replace(ADDRESS, '[address]').slice(0, 500);
}
