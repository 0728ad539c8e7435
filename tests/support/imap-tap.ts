import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ImapTap {
  port: number;
  /** Drops every live connection, as a server restart or a network cut would. */
  cut(): void;
  /** While blocked, every new connection is dropped at once (the server is down). */
  block(on: boolean): void;
  /** Connections open through the tap now, and the most at once since it started. */
  live(): number;
  mostAtOnce(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the IMAP server (or any TCP server: PostgreSQL) that watches what the client sends.
 * When a client command matches `trigger`, the command is held back (never
 * reaches the server) and `onTrigger` runs: the test uses it to kill the
 * poller at an exact point of the protocol, with no hook in the product.
 */
export async function startImapTap(target: { host: string; port: number }, trigger: RegExp | null = null, onTrigger: () => void = () => undefined): Promise<ImapTap> {
  const sockets = new Set<Socket>();
  let fired = false;
  let blocked = false;
  let open = 0;
  let most = 0;
  const server: Server = createServer((client) => {
    if (blocked) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    most = Math.max(most, ++open);
    let counted = true;
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (!fired && trigger?.test(chunk.toString('latin1'))) {
        fired = true;
        onTrigger();
        return;
      }
      if (!fired) upstream.write(chunk);
    });
    const end = (): void => {
      if (counted) (counted = false), open--;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    block(on) {
      blocked = on;
    },
    live: () => open,
    mostAtOnce: () => most,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
