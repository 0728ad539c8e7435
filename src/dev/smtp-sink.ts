import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  from: string;
  to: string[];
  raw: Buffer;
  receivedAt: number;
}

export interface SmtpSink {
  host: string;
  port: number;
  mails: SunkMail[];
  /** Resolves once at least `n` mails have arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs: number): Promise<SunkMail[]>;
  /** Called for each mail as it arrives. */
  onMail?: (mail: SunkMail) => void;
  close(): Promise<void>;
}

export type Refusal = { code: number; message: string } | null;

/**
 * A real SMTP server (nodemailer's smtp-server) on loopback that accepts
 * everything and records it: the sink for tests, the demo and the bench.
 * `reject` lets a test make it refuse recipients with a chosen SMTP code;
 * `refuseAuth` and `refuseMailFrom` refuse the sender's own session, as a
 * relay does when our password expired or its sender policy changed;
 * `refuseData` and `holdAnswerMs` answer a message's end of data with a
 * refusal, or late.
 */
export interface SinkOptions {
  port?: number;
  reject?: (rcpt: string) => Refusal;
  refuseAuth?: () => Refusal;
  refuseMailFrom?: (from: string) => Refusal;
  /** Drop connections idle this long (ms), as real servers do. */
  socketTimeout?: number;
  /** Refuse a message once its data has arrived (a 4xx or 5xx to the end of data); it is not recorded. */
  refuseData?: (mail: SunkMail) => Refusal;
  /** Answer a recipient, or a message's end of data (the message recorded first), only this many ms later, as a slow relay does. */
  holdAnswerMs?: (stage: 'rcpt' | 'data', to: string) => number;
}

export async function startSmtpSink(opts: SinkOptions = {}): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const waiters: Array<{ n: number; resolve: (m: SunkMail[]) => void }> = [];
  const sink: SmtpSink = {
    host: '127.0.0.1',
    port: 0,
    mails,
    waitFor(n, timeoutMs) {
      if (mails.length >= n) return Promise.resolve(mails);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`SMTP sink: ${mails.length} of ${n} mails after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const refuse = (r: Refusal, cb: (err?: Error | null) => void): boolean => {
    if (!r) return false;
    cb(Object.assign(new Error(r.message), { responseCode: r.code }));
    return true;
  };
  const later = (ms: number, cb: () => void): void => {
    if (ms > 0) setTimeout(cb, ms).unref();
    else cb();
  };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (refuse(opts.refuseAuth?.() ?? null, cb)) return;
      cb(null, { user: auth.username });
    },
    onMailFrom(address, _session, cb) {
      if (refuse(opts.refuseMailFrom?.(address.address) ?? null, cb)) return;
      cb();
    },
    size: 50 * 1024 * 1024,
    ...(opts.socketTimeout ? { socketTimeout: opts.socketTimeout } : {}),
    onRcptTo(address, _session, cb) {
      if (refuse(opts.reject?.(address.address) ?? null, cb)) return;
      later(opts.holdAnswerMs?.('rcpt', address.address) ?? 0, cb);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: SunkMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          receivedAt: Date.now(),
        };
        if (refuse(opts.refuseData?.(mail) ?? null, cb)) return;
        mails.push(mail);
        sink.onMail?.(mail);
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (mails.length >= waiters[i]!.n) waiters.splice(i, 1)[0]!.resolve(mails);
        }
        later(opts.holdAnswerMs?.('data', mail.to.join(',')) ?? 0, cb);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client killed mid-session resets its connection; smtp-server reports
  // that as an 'error' event, which a real server logs and survives.
  server.on('error', () => undefined);
  sink.port = (server.server.address() as { port: number }).port;
  return sink;
}
