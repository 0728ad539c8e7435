import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/load.ts';
import { startSmtpSink, type SmtpSink } from '../../src/dev/smtp-sink.ts';
import { createSmtpSender, type MailSender } from '../../src/notify/smtp-sender.ts';

const raw = (n: number) => Buffer.from(`From: abuse@example.net\r\nTo: r@x.test\r\nSubject: ${n}\r\nMessage-ID: <${n}@example.net>\r\n\r\nbody ${n}\r\n`);

describe('SMTP sender', () => {
  let sink: SmtpSink;
  let sender: MailSender;

  before(async () => {
    sink = await startSmtpSink({ socketTimeout: 200 });
    sender = createSmtpSender({ ...loadConfig({ env: {} }).smtp, host: sink.host, port: sink.port, maxConnections: 3 });
  });

  after(async () => {
    sender.close();
    await sink.close();
  });

  it('sends many messages concurrently over its few connections', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => sender.send({ from: 'abuse@example.net', to: [`r${i}@x.test`] }, raw(i))));
    assert.equal(sink.mails.length, 30);
    assert.deepEqual(new Set(sink.mails.map((m) => m.to[0])).size, 30);
  });

  it('reconnects after the server dropped its idle connections', async () => {
    await sleep(600);
    await sender.send({ from: 'abuse@example.net', to: ['late@x.test'] }, raw(99));
    assert.equal(sink.mails.at(-1)?.to[0], 'late@x.test');
  });

  it('replaces a connection that died silently and sends on a fresh one', async () => {
    // A firewall or NAT that forgot an idle connection: the client learns it
    // only when it next writes, mid-send, with no SMTP reply.
    const stale = new Set<Socket>();
    const live = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(sink.port, sink.host);
      live.add(client);
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => {
        if (stale.has(client)) {
          client.resetAndDestroy();
          upstream.destroy();
        } else upstream.write(chunk);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    const s = createSmtpSender({ ...loadConfig({ env: {} }).smtp, host: '127.0.0.1', port: (proxy.address() as { port: number }).port, maxConnections: 1 });
    try {
      await s.send({ from: 'abuse@example.net', to: ['first@x.test'] }, raw(200));
      for (const c of live) stale.add(c);
      await s.send({ from: 'abuse@example.net', to: ['second@x.test'] }, raw(201));
      assert.equal(sink.mails.at(-1)?.to[0], 'second@x.test');
      assert.equal(live.size, 2, 'a second connection was opened');
    } finally {
      s.close();
      for (const c of live) c.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it('tells when the relay has a message\'s end of data, before its answer, and not when it never got there', async () => {
    // The relay answers the end of data 300 ms late; recipient "no@" is refused at RCPT TO.
    const slow = await startSmtpSink({ holdAnswerMs: (stage) => (stage === 'data' ? 300 : 0), reject: (rcpt) => (rcpt.startsWith('no@') ? { code: 550, message: 'no' } : null) });
    const s = createSmtpSender({ ...loadConfig({ env: {} }).smtp, host: slow.host, port: slow.port, maxConnections: 1 });
    try {
      const told: Array<{ n: number; at: number }> = [];
      const send = async (n: number, to: string): Promise<number> => {
        await s.send({ from: 'abuse@example.net', to: [to] }, raw(n), () => told.push({ n, at: Date.now() }));
        return Date.now();
      };
      // Bodies whose lines start with dots and end without a line break: the dot stuffing and the final CRLF are the sender's.
      const dotted = Buffer.from('Subject: dots\r\n\r\n.\r\n..\r\n.x\r\nend.');
      const doneAt = [await send(1, 'a@x.test'), await send(2, 'b@x.test')];
      await s.send({ from: 'abuse@example.net', to: ['c@x.test'] }, dotted, () => told.push({ n: 3, at: Date.now() }));
      await assert.rejects(send(4, 'no@x.test'));
      assert.deepEqual(told.map((t) => t.n), [1, 2, 3]);
      for (const [i, at] of doneAt.entries()) assert.ok(at - told[i]!.at >= 250, `message ${i + 1} was told ${at - told[i]!.at} ms before its answer`);
      assert.equal(slow.mails.at(2)?.raw.toString('latin1'), 'Subject: dots\r\n\r\n.\r\n..\r\n.x\r\nend.\r\n');
    } finally {
      s.close();
      await slow.close();
    }
  });

  it('reports an SMTP refusal with its reply code', async () => {
    const refusing = await startSmtpSink({ reject: () => ({ code: 550, message: 'no' }) });
    const s = createSmtpSender({ ...loadConfig({ env: {} }).smtp, host: refusing.host, port: refusing.port });
    await assert.rejects(s.send({ from: 'abuse@example.net', to: ['x@x.test'] }, raw(1)), (err: { responseCode?: number }) => err.responseCode === 550);
    s.close();
    await refusing.close();
  });
});
