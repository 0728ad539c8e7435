import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startAlertsWorker } from '../../workers/alerts.ts';
import { startNotifyWorker } from '../../workers/notify.ts';
import { startPoller } from '../../workers/poller.ts';
import { startTriageWorker } from '../../workers/triage.ts';
import { RulesError } from '../classify/rules.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import { directoryCommand, lookupCommand } from './directory-cli.ts';
import { DnsResolver } from '../directory/dns-resolver.ts';
import { DirectoryError, loadDirectory, sourceOf } from '../directory/load-directory.ts';
import { startApi } from '../http/start-api.ts';
import { casesCommand, dbCommand } from './cases-cli.ts';
import { caseCommand, tokenCommand } from './case-cli.ts';
import { createLogger } from '../log.ts';
import { renderCommand } from './render-cli.ts';
import { statusCommand } from './status-cli.ts';
import { operatorCommand } from './operator-cli.ts';
import { TemplateError } from '../notify/templates.ts';
import { parseMessage, UnparseableMessageError } from '../parse/parse-message.ts';
import { retryDeadLetters, retryFailedJobs } from '../queue/requeue.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { triageMessage } from '../triage/triage-message.ts';
import { triageSettings } from '../triage/triage-settings.ts';

const USAGE = `abuse-desk — runs the abuse@ mailbox

Usage:
  abuse-desk start [--config FILE]              poller and both workers in one process
  abuse-desk poller [--config FILE]             IMAP inbox → triage queue
  abuse-desk worker triage|notify|alerts [--config FILE]
                                                (every triage worker also runs the SLA scanner and an alerts worker)
  abuse-desk triage FILE.eml... [--customers FILE] [--config FILE]
                                                print the decision for each message as one JSON line; sends nothing
  abuse-desk lookup TARGET [--customers SRC] [--json]
                                                which customers own a domain, host, URL, IP or @account, and why
  abuse-desk directory check [--customers SRC]  validate a directory; report duplicates and overlapping networks
  abuse-desk directory import FILE [--to URL]   load a customers file into PostgreSQL (replaces its contents)
  abuse-desk directory schema                   print the PostgreSQL schema of the directory
  abuse-desk mail retry-dead [--config FILE]    send the dead-letter queue's mails again (each at most once)
  abuse-desk jobs retry-failed [--config FILE]  re-queue every failed triage and notify job
  abuse-desk db migrate [--config FILE]         create or upgrade the case store's schema (also done at start)
  abuse-desk cases list [--status S] [--priority P] [--customer ID|-] [--category C] [--campaign N] [--all] [--json]
                                                open cases (or all), most urgent first
  abuse-desk cases show REF [--reporters] [--json]
                                                a case: reports, reporters (numbered; named with --reporters), targets, evidence, history
  abuse-desk cases export [--sor] [--config FILE]
                                                every case as JSON Lines; --sor: statements of reasons (EU transparency database fields)
  abuse-desk cases search WORDS|REF|TARGET|ADDRESS|<MESSAGE-ID> [--json]
                                                cases of every status: by reference, target (or domain suffix),
                                                reporter address, Message-ID, or words of the reports
  abuse-desk cases rederive-deadlines           after changing the SLA policy: every open case's stored deadline again
  abuse-desk cases purge [--config FILE]        erase reporters' personal data past cases.retention (also run daily)
  abuse-desk case note|status|release|withhold|escalate|flag|merge|split|unfounded REF … [--as NAME]
                                                act on a case (abuse-desk case, without arguments, lists the forms)
  abuse-desk api [--config FILE]                the HTTP API for working cases (OpenAPI at /api/openapi.json)
  abuse-desk api token NAME viewer|agent|admin  a new bearer token and its api.operators line (bootstrapping)
  abuse-desk operator add|list|revoke|rotate …  operators in the case store; changes take effect at once
  abuse-desk render [KIND] [--category C] [--lang en|fr] [--data FILE.json]
                                                every kind of mail (and each ladder rung) in both languages, from sample data
  abuse-desk status [--json] [--config FILE]    queues, cases, readiness and what needs attention; exit 1 if anything does
  abuse-desk config check [--config FILE]       validate config, customer directory and templates
  abuse-desk demo                               local Dovecot + SMTP sink + sample complaints, end to end

SRC is a customers file (.yaml .json .jsonl .csv) or a postgres:// URL; default: directory.source.
Secrets: ABUSE_DESK_IMAP_PASSWORD, ABUSE_DESK_SMTP_PASSWORD, ABUSE_DESK_REDIS_URL,
ABUSE_DESK_DIRECTORY_URL, ABUSE_DESK_CASES_URL (or the same names with _FILE).
`;

type Closable = { close(): Promise<void> };

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      customers: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      status: { type: 'string' },
      priority: { type: 'string' },
      customer: { type: 'string' },
      category: { type: 'string' },
      campaign: { type: 'string' },
      all: { type: 'boolean' },
      reporters: { type: 'boolean' },
      as: { type: 'string' },
      reason: { type: 'string' },
      ground: { type: 'string' },
      'ground-type': { type: 'string' },
      restriction: { type: 'string' },
      sor: { type: 'boolean' },
      lang: { type: 'string' },
      data: { type: 'string' },
      off: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const configFile = values.config;

  switch (command) {
    case 'triage':
      return triageCommand(rest, configFile, values.customers);
    case 'lookup':
      return lookupCommand(rest[0], quietConfig(configFile), values.customers, values.json ?? false);
    case 'directory':
      return directoryCommand(rest, quietConfig(configFile), { customers: values.customers, to: values.to });
    case 'config': {
      const rt = await createRuntime(loadConfig({ configFile }), createLogger('warn'));
      process.stdout.write(`configuration OK: ${rt.directory.get().size} customers, templates in ${rt.config.templates.dir}\n`);
      rt.close();
      return 0;
    }
    case 'start': {
      const rt = await runtimeOf(configFile);
      // api.listen: one process for a small desk, the API and board included.
      return runUntilSignal(rt, rt.config.api.listen ? ['poller', 'triage', 'notify', 'api'] : ['poller', 'triage', 'notify']);
    }
    case 'poller':
      return runUntilSignal(await runtimeOf(configFile), ['poller']);
    case 'worker': {
      const kind = rest[0];
      if (kind !== 'triage' && kind !== 'notify' && kind !== 'alerts') {
        process.stderr.write('abuse-desk worker: say which worker: triage, notify or alerts\n');
        return 2;
      }
      return runUntilSignal(await runtimeOf(configFile), [kind]);
    }
    case 'case':
      return caseCommand(rest, { ...values, groundType: values['ground-type'] }, await createRuntime(quietConfig(configFile)));
    case 'api': {
      if (rest[0] === 'token') return tokenCommand(rest[1], rest[2]);
      return runUntilSignal(await runtimeOf(configFile), ['api']);
    }
    case 'status':
      return statusCommand(quietConfig(configFile), !!values.json);
    case 'operator':
      return operatorCommand(rest, quietConfig(configFile), !!values.json);
    case 'render':
      return renderCommand(rest[0], { category: values.category, lang: values.lang, data: values.data }, quietConfig(configFile));
    case 'db':
      return dbCommand(rest[0], loadConfig({ configFile }));
    case 'cases':
      return casesCommand(rest, values, quietConfig(configFile));
    case 'mail': {
      if (rest[0] !== 'retry-dead') return usageError('abuse-desk mail: the command is "mail retry-dead"');
      const config = loadConfig({ configFile });
      const n = await retryDeadLetters(config, createLogger(config.log.level));
      process.stdout.write(`${n} dead-letter case(s) re-queued for delivery\n`);
      return 0;
    }
    case 'jobs': {
      if (rest[0] !== 'retry-failed') return usageError('abuse-desk jobs: the command is "jobs retry-failed"');
      const config = loadConfig({ configFile });
      const counts = await retryFailedJobs(config, createLogger(config.log.level));
      process.stdout.write(`${Object.entries(counts).map(([q, n]) => `${q}: ${n} failed job(s) re-queued`).join('\n')}\n`);
      return 0;
    }
    case 'demo': {
      const { runDemo } = await import('./demo.ts');
      return runDemo();
    }
    default:
      process.stderr.write(`abuse-desk: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function usageError(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

async function triageCommand(files: string[], configFile: string | undefined, customersFile: string | undefined): Promise<number> {
  if (!files.length) {
    process.stderr.write('abuse-desk triage: give the path of one or more .eml files\n');
    return 2;
  }
  const config = quietConfig(configFile);
  const directory = await loadDirectory(sourceOf(config.directory, customersFile));
  const dns = config.dns.enabled ? new DnsResolver(config.dns) : null;
  const settings = triageSettings(config);
  for (const file of files) {
    let line: unknown;
    try {
      line = await triageMessage(await parseMessage(readFileSync(file), config.limits), directory, settings, dns);
    } catch (err) {
      if (!(err instanceof UnparseableMessageError)) throw err;
      // Rejected, not crashed: the poller would move this message to the Failed folder.
      line = { isComplaint: false, automated: false, rejected: err.reason, targets: [], actions: [] };
    }
    // One line per message, with its file when there are several (JSON Lines).
    process.stdout.write(`${JSON.stringify(files.length > 1 ? { file, ...(line as object) } : line)}\n`);
  }
  dns?.close();
  return 0;
}

/** A long-running process's runtime: its config file kept, so SIGHUP can re-read api.operators from it. */
function runtimeOf(configFile: string | undefined): Promise<Runtime> {
  return createRuntime(loadConfig({ configFile }), undefined, configFile);
}

function quietConfig(configFile: string | undefined) {
  return loadConfig({ configFile, overrides: { log: { level: 'silent' } } });
}

/**
 * Runs the given parts until SIGTERM/SIGINT. SIGHUP, from the first moment,
 * reloads the customer directory (and api.operators where the API runs, the
 * only part that reads them) and never stops the process (Node's default for
 * it is to exit).
 */
async function runUntilSignal(rt: Runtime, parts: Array<'poller' | 'triage' | 'notify' | 'alerts' | 'api'>): Promise<number> {
  process.on('SIGHUP', () => {
    void rt.directory.reload();
    if (parts.includes('api')) rt.operators.reload();
  });
  // Start consumers before the producer, and stop in the reverse order:
  // poller first (no new work), then workers (finish jobs in hand), then Redis.
  const running: Closable[] = [];
  // A stop may come while a part is still starting (waiting for the case
  // store, wait-for-store.ts): the parts already running are closed as usual.
  const stopping = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  let started = false;
  const starting = (async () => {
    if (parts.includes('notify')) running.push(await startNotifyWorker(rt));
    if (parts.includes('alerts')) running.push(await startAlertsWorker(rt));
    if (parts.includes('triage')) running.push(await startTriageWorker(rt));
    if (parts.includes('api')) running.push(await startApi(rt));
    if (parts.includes('poller')) running.push(startPoller(rt));
    started = true;
  })();
  await Promise.race([starting, stopping]);
  if (started) {
    rt.logger.info({ parts, customers: rt.directory.get().size }, 'abuse-desk started');
    await stopping;
  }
  rt.logger.info(started ? 'shutting down' : 'stopped while starting; shutting down');
  const force = setTimeout(() => {
    rt.logger.error('shutdown took over 30 s; exiting');
    process.exit(1);
  }, 30_000);
  force.unref();
  for (const part of running.reverse()) await part.close();
  rt.close();
  rt.logger.info('stopped');
  // A part still starting holds its connections and its wait; nothing of it ran, so nothing is cut short.
  if (!started) process.exit(0);
  return 0;
}

// Output piped into `head` and cut short is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof DirectoryError || err instanceof TemplateError || err instanceof RulesError) {
      process.stderr.write(`abuse-desk: ${err.message}\n`);
      process.exitCode = 78; // EX_CONFIG
      return;
    }
    createLogger('error').fatal({ err }, 'abuse-desk crashed');
    process.exitCode = 1;
  },
);
