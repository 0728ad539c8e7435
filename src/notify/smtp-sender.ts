import type { Socket } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Config } from '../config/schema.ts';

export interface Envelope {
  from: string;
  to: string[];
}

/** Sends prebuilt messages over SMTP. */
export interface MailSender {
  /**
   * Resolves once the relay accepted the message. `handedOver` is called
   * when the end of data (the "." line) has been written to the operating
   * system's socket, before the relay's answer is read.
   */
  send(envelope: Envelope, raw: Buffer, handedOver?: () => void): Promise<void>;
  /**
   * Whether the relay takes a new session now (connects and logs in), on one
   * of the sender's own connections, so a probe never opens more than
   * smtp.maxConnections at the relay; the connection is kept for the next mail.
   */
  probe(): Promise<void>;
  close(): void;
}

interface Lane {
  conn: SMTPConnection | null;
  sent: number;
}

// A connection's end-of-data watcher (see watchEndOfData), by connection.
const watchers = new WeakMap<SMTPConnection, { arm(cb: (() => void) | null): void }>();

/**
 * Watches what a connection writes for the end of a message's data: the
 * first write whose bytes (with those before it) end in CRLF "." CRLF. Dot
 * stuffing makes that sequence appear nowhere else in an SMTP session. The
 * armed callback runs once that write is complete (at once when the kernel
 * took it synchronously, as on a plain connection): the "." line is then in
 * the kernel, which delivers it even if this process is killed at once.
 * nodemailer keeps its socket in `_socket`; without one nothing is watched,
 * and a crash in the window re-sends the mail, as before.
 */
function watchEndOfData(conn: SMTPConnection): { arm(cb: (() => void) | null): void } {
  let armed: (() => void) | null = null;
  let tail = '';
  const socket = (conn as unknown as { _socket?: Socket })._socket;
  if (socket && typeof socket.write === 'function') {
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const last = typeof chunk === 'string' ? chunk.slice(-5) : Buffer.from(chunk.buffer, chunk.byteOffset + Math.max(0, chunk.byteLength - 5), Math.min(5, chunk.byteLength)).toString('latin1');
      if (!last) return write(chunk, ...rest);
      const seen = (tail + last).slice(-5);
      tail = seen;
      const cb = armed;
      if (!cb || seen !== '\r\n.\r\n') return write(chunk, ...rest);
      armed = null;
      let told = false;
      const tell = (): void => {
        if (!told) (told = true), cb();
      };
      const i = rest.findIndex((r) => typeof r === 'function');
      const done = i >= 0 ? (rest[i] as (err?: Error | null) => void) : undefined;
      const args = i >= 0 ? rest.slice(0, i) : rest;
      const ok = write(chunk, ...args, (err?: Error | null) => {
        if (!err) tell();
        done?.(err);
      });
      // Nothing left in the stream's buffer: the kernel took the write
      // synchronously. Told now, not a tick later, so no other work (nor a
      // descheduled process) sits between the "." and the caller's mark.
      if (socket.writableLength === 0 && !socket.destroyed && !socket.errored) tell();
      return ok;
    }) as Socket['write'];
  }
  return { arm: (cb) => (armed = cb) };
}

/**
 * Closes a connection and resolves once its socket has closed (at most 1 s
 * later), so the lane that held it opens no new one at the relay before the
 * old one is gone: smtp.maxConnections is the most the relay ever sees.
 */
function closeAndWait(conn: SMTPConnection): Promise<void> {
  const socket = (conn as unknown as { _socket?: Socket })._socket;
  const closed =
    socket && !socket.destroyed
      ? new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          setTimeout(resolve, 1000).unref();
        })
      : Promise.resolve();
  conn.close();
  return closed;
}

// Errors with no SMTP reply: the connection itself broke.
const isConnectionError = (err: unknown): boolean => typeof (err as { responseCode?: unknown }).responseCode !== 'number';

/**
 * A connection to the relay, logged in when smtp.user is set. `onGone` is
 * told when it breaks or ends later.
 */
function connectRelay(smtp: Config['smtp'], timeoutMs: number, onGone: (conn: SMTPConnection) => void = () => undefined): Promise<SMTPConnection> {
  return new Promise((resolve, reject) => {
    const conn = new SMTPConnection({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.requireTLS,
      tls: { rejectUnauthorized: smtp.tlsRejectUnauthorized },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: 120_000,
    });
    let settled = false;
    const fail = (err: Error): void => {
      onGone(conn);
      if (settled) return;
      settled = true;
      // A session that failed (refused login, broken greeting) is closed here:
      // left open, each retry would hold one more connection at the relay.
      void closeAndWait(conn).then(() => reject(err));
    };
    conn.on('error', fail);
    conn.on('end', () => onGone(conn));
    // nodemailer hands a close before the greeting to this callback (not to 'error').
    conn.connect((err?: Error) => {
      if (err) return fail(err);
      const ready = (): void => {
        settled = true;
        resolve(conn);
      };
      if (!smtp.user) return ready();
      conn.login({ user: smtp.user, pass: smtp.password }, (err) => (err ? fail(err) : ready()));
    });
  });
}

/** Whether the relay answers and accepts our login now (for /readyz): connects, logs in, quits. */
export async function probeRelay(smtp: Config['smtp'], timeoutMs: number): Promise<void> {
  const conn = await connectRelay(smtp, timeoutMs);
  conn.quit();
}

/**
 * A fixed set of SMTP connections ("lanes") using nodemailer's SMTPConnection,
 * each sending one message at a time. We bypass nodemailer's transport here
 * because every mail is already built: measured on these machines, its
 * pooled sendMail costs 0.39 ms of CPU per message and SMTPConnection.send
 * 0.14 ms, the difference being most of the notify worker's budget.
 *
 * A lane reconnects lazily after any failure; a send that fails on a reused
 * connection with no SMTP reply (the server dropped an idle connection) is
 * tried once more on a fresh one. Errors keep nodemailer's `code` and
 * `responseCode`, so delivery-error.ts can classify them.
 */
export function createSmtpSender(smtp: Config['smtp']): MailSender {
  const lanes: Lane[] = Array.from({ length: smtp.pool ? smtp.maxConnections : 1 }, () => ({ conn: null, sent: 0 }));
  const idle: Lane[] = [...lanes];
  const waiting: Array<(lane: Lane) => void> = [];
  let closed = false;

  const acquire = (): Promise<Lane> => {
    const lane = idle.pop();
    return lane ? Promise.resolve(lane) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (lane: Lane): void => {
    const next = waiting.shift();
    if (next) next(lane);
    else idle.push(lane);
  };
  const drop = (lane: Lane): Promise<void> => {
    const conn = lane.conn;
    lane.conn = null;
    lane.sent = 0;
    return conn ? closeAndWait(conn) : Promise.resolve();
  };

  const open = async (lane: Lane): Promise<SMTPConnection> => {
    const conn = await connectRelay(smtp, 30_000, (c) => {
      if (lane.conn === c) lane.conn = null;
    });
    lane.conn = conn;
    watchers.set(conn, watchEndOfData(conn));
    return conn;
  };

  const sendOn = (conn: SMTPConnection, envelope: Envelope, raw: Buffer, handedOver?: () => void): Promise<void> => {
    const watcher = watchers.get(conn);
    watcher?.arm(handedOver ?? null);
    return new Promise<void>((resolve, reject) => conn.send(envelope, raw, (err) => (err ? reject(err) : resolve()))).finally(() => watcher?.arm(null));
  };

  return {
    async send(envelope, raw, handedOver) {
      if (closed) throw new Error('SMTP sender is closed');
      const lane = await acquire();
      let handed = false;
      const onHanded = (): void => {
        handed = true;
        handedOver?.();
      };
      try {
        const reused = lane.conn !== null;
        try {
          await sendOn(lane.conn ?? (await open(lane)), envelope, raw, onHanded);
        } catch (err) {
          await drop(lane);
          // Once the relay has the whole message, a broken connection leaves it in doubt: the caller decides.
          if (!reused || handed || !isConnectionError(err)) throw err;
          await sendOn(await open(lane), envelope, raw, onHanded);
        }
        lane.sent++;
        if (!smtp.pool) await drop(lane);
      } catch (err) {
        await drop(lane);
        throw err;
      } finally {
        release(lane);
      }
    },
    async probe() {
      if (closed) throw new Error('SMTP sender is closed');
      const lane = await acquire();
      try {
        await drop(lane);
        await open(lane);
      } catch (err) {
        await drop(lane);
        throw err;
      } finally {
        release(lane);
      }
    },
    close() {
      closed = true;
      for (const lane of lanes) {
        lane.conn?.quit();
        lane.conn = null;
      }
    },
  };
}
