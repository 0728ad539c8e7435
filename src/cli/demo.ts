import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { Redis } from 'ioredis';
import { startNotifyWorker } from '../../workers/notify.ts';
import { startPoller } from '../../workers/poller.ts';
import { startTriageWorker } from '../../workers/triage.ts';
import { loadConfig } from '../config/load.ts';
import { openCaseStore } from '../cases/case-db.ts';
import { listCases } from '../cases/case-queries.ts';
import { createLogger } from '../log.ts';
import { parseMessage } from '../parse/parse-message.ts';
import { createRuntime } from '../runtime.ts';
import { deleteKeysWithPrefix } from '../dev/delete-keys.ts';
import { startDovecot } from '../dev/dovecot.ts';
import { buildSample, SAMPLE_KINDS } from '../dev/sample-complaints.ts';
import { startSmtpSink } from '../dev/smtp-sink.ts';

const RULE = '─'.repeat(78);

/**
 * The newcomer's first look: a private Dovecot and SMTP sink, the sample
 * complaints of every kind dropped into the inbox, the whole pipeline run,
 * and every mail that went out printed, then the cases. Uses Redis at
 * ABUSE_DESK_REDIS_URL or 127.0.0.1:6379 under a throw-away key prefix, and
 * PostgreSQL at ABUSE_DESK_CASES_URL or cases.database under a throw-away
 * schema, both removed at the end.
 */
export async function runDemo(): Promise<number> {
  const out = (s = ''): boolean => process.stdout.write(`${s}\n`);
  out('Starting a private Dovecot (IMAP) and an SMTP sink on free loopback ports…');
  const dovecot = await startDovecot();
  const sink = await startSmtpSink();
  const prefix = `abuse-desk-demo-${randomUUID().slice(0, 8)}`;
  // The case store: the configured database (ABUSE_DESK_CASES_URL), a schema of its own, dropped at the end.
  const caseSchema = `demo_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const config = loadConfig({
    overrides: {
      imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, pollIntervalMs: 1000 },
      redis: { prefix },
      cases: { schema: caseSchema },
      smtp: { host: sink.host, port: sink.port, secure: false },
      desk: { escalateTo: 'oncall@example.net' },
      log: { level: 'warn' },
    },
  });
  const rt = await createRuntime(config, createLogger('warn'));
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  try {
    await redis.ping();
  } catch {
    out(`Redis is not reachable at ${config.redis.url}: run \`bash deploy/ensure-redis.sh\` or set ABUSE_DESK_REDIS_URL.`);
    redis.disconnect();
    await Promise.all([sink.close(), dovecot.stop()]);
    return 1;
  }

  const samples = SAMPLE_KINDS.map((k, i) => buildSample(k, i, prefix));
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
  await client.connect();
  for (const s of samples) await client.append('INBOX', s.raw);
  out(`Dropped ${samples.length} messages into INBOX: ${samples.map((s) => s.kind).join(', ')}.`);
  out('Running poller, triage and notify workers…');

  const parts = [await startNotifyWorker(rt), await startTriageWorker(rt), startPoller(rt)];
  const expected = samples.reduce((n, s) => n + (s.ackTo ? 1 : 0) + s.noticeTo.length, 0);
  let code = 0;
  try {
    await sink.waitFor(expected, 30_000);
    // A moment more, so anything unexpected would show too.
    await new Promise((r) => setTimeout(r, 1000));
  } catch (err) {
    out(`Demo: ${(err as Error).message}`);
    code = 1;
  }
  for (const p of parts.reverse()) await p.close();
  rt.close();

  for (const mail of sink.mails) {
    const m = await parseMessage(mail.raw, { maxMessageBytes: 1e7, maxTextChars: 1e6 });
    const kind = m.headers['in-reply-to'] ? 'ACKNOWLEDGEMENT' : /ESCALATION/.test(m.subject) ? 'ESCALATION' : 'NOTICE';
    out(RULE);
    out(`${kind} → ${mail.to.join(', ')}`);
    out(`Subject: ${m.subject}`);
    out();
    out(m.text.trimEnd());
  }
  out(RULE);
  const status = async (box: string) => ((await client.status(box, { messages: true })) || { messages: 0 }).messages ?? 0;
  out(`Mailbox: INBOX ${await status('INBOX')}, Processed ${await status('Processed')}, Failed ${await status('Failed')}.`);
  out(`Sent ${sink.mails.length} mails. Auto-reply, bounce and newsletter were not answered; the ARF report was processed without an acknowledgement.`);
  await client.logout();
  const store = await openCaseStore(config);
  const cases = await listCases(store.pool, { all: true });
  out(`Cases (abuse-desk cases list):`);
  for (const c of cases) out(`  ${c.ref}  ${c.status.padEnd(15)} ${c.priority.padEnd(7)} ${c.category.padEnd(10)} ${(c.customer ?? '-').padEnd(5)} ${String(c.reports).padStart(3)} report(s)  ${c.targetType === 'none' ? '(no address)' : c.target}`);
  await store.pool.query(`DROP SCHEMA IF EXISTS ${caseSchema} CASCADE`);
  await store.end();

  // Leave nothing behind: the demo's keys, the private servers.
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
  await sink.close();
  await dovecot.stop();
  return code;
}
