import { createServer } from 'node:net';

/** A loopback port free now, for a server a test starts itself (a private Redis, a Prometheus). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}
