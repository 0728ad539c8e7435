import { ImapFlow } from 'imapflow';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';

/** An IMAP connection from config; not connected yet. */
export function createImapClient(imap: Config['imap'], logger: Logger): ImapFlow {
  // imapflow is chatty at info; its warnings and errors are what ops need.
  const imapLogger = logger.child({ component: 'imapflow' }, { level: logger.level === 'debug' || logger.level === 'trace' ? 'debug' : 'warn' });
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    tls: { rejectUnauthorized: imap.tlsRejectUnauthorized },
    logger: imapLogger,
    // We run IDLE ourselves between batches, so we know when it starts and stops.
    disableAutoIdle: true,
    connectionTimeout: imap.connectTimeoutMs,
    greetingTimeout: imap.connectTimeoutMs,
    clientInfo: { name: 'abuse-desk' },
  });
}

/** Creates a folder if it is missing (Processed, Failed). */
export async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const list = await client.list();
  if (list.some((box) => box.path === path)) return;
  try {
    await client.mailboxCreate(path);
  } catch (err) {
    // Another poller may have created it in between.
    const again = await client.list();
    if (!again.some((box) => box.path === path)) throw err;
  }
}
