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

const ADDRESS = /[^\s<>()"':,;]+@[^\s<>()"':,;]+/g;

/** Error text for a log line: SMTP and IMAP replies often quote addresses, which must not reach the logs. */
export function scrubbed(err: unknown): string {
  return String((err as Error)?.message ?? err).replace(ADDRESS, '[address]').slice(0, 500);
}
