import assert from 'node:assert/strict';
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

  it('reports an SMTP refusal with its reply code', async () => {
    const refusing = await startSmtpSink({ reject: () => ({ code: 550, message: 'no' }) });
    const s = createSmtpSender({ ...loadConfig({ env: {} }).smtp, host: refusing.host, port: refusing.port });
    await assert.rejects(s.send({ from: 'abuse@example.net', to: ['x@x.test'] }, raw(1)), (err: { responseCode?: number }) => err.responseCode === 550);
    s.close();
    await refusing.close();
  });
});
