import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startNotifyWorker } from '../workers/notify.ts';
import { startPoller } from '../workers/poller.ts';
import { startTriageWorker } from '../workers/triage.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import { DirectoryError, loadDirectoryFile } from './directory/load-directory.ts';
import { createLogger } from './log.ts';
import { TemplateError } from './notify/templates.ts';
import { parseMessage, UnparseableMessageError } from './parse/parse-message.ts';
import { createRuntime, type Runtime } from './runtime.ts';
import { decide } from './triage/decide.ts';

const USAGE = `abuse-desk — runs the abuse@ mailbox

Usage:
  abuse-desk start [--config FILE]              poller and both workers in one process
  abuse-desk poller [--config FILE]             IMAP inbox → triage queue
  abuse-desk worker triage|notify [--config FILE]
  abuse-desk triage FILE.eml... [--customers FILE] [--config FILE]
                                                print the decision for each message as one JSON line; sends nothing
  abuse-desk config check [--config FILE]       validate config, customer directory and templates
  abuse-desk demo                               local Dovecot + SMTP sink + sample complaints, end to end

Secrets: ABUSE_DESK_IMAP_PASSWORD, ABUSE_DESK_SMTP_PASSWORD, ABUSE_DESK_REDIS_URL (or *_FILE).
`;

type Closable = { close(): Promise<void> };

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      customers: { type: 'string' },
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
    case 'config': {
      const rt = createRuntime(loadConfig({ configFile }));
      process.stdout.write(`configuration OK: ${rt.directory.get().size} customers, templates in ${rt.config.templates.dir}\n`);
      return 0;
    }
    case 'start':
      return runUntilSignal(createRuntime(loadConfig({ configFile })), ['poller', 'triage', 'notify']);
    case 'poller':
      return runUntilSignal(createRuntime(loadConfig({ configFile })), ['poller']);
    case 'worker': {
      const kind = rest[0];
      if (kind !== 'triage' && kind !== 'notify') {
        process.stderr.write('abuse-desk worker: say which worker: triage or notify\n');
        return 2;
      }
      return runUntilSignal(createRuntime(loadConfig({ configFile })), [kind]);
    }
    case 'demo': {
      const { runDemo } = await import('./dev/demo.ts');
      return runDemo();
    }
    default:
      process.stderr.write(`abuse-desk: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function triageCommand(files: string[], configFile: string | undefined, customersFile: string | undefined): Promise<number> {
  if (!files.length) {
    process.stderr.write('abuse-desk triage: give the path of one or more .eml files\n');
    return 2;
  }
  const config = loadConfig({ configFile, overrides: { log: { level: 'silent' } } });
  const directory = loadDirectoryFile(customersFile ?? config.directory.file);
  const settings = {
    ownDomains: config.desk.ownDomains,
    defaultLanguage: config.desk.defaultLanguage,
    profileUrlPatterns: config.accounts.profileUrlPatterns,
    atHandles: config.accounts.atHandles,
  };
  for (const file of files) {
    let line: unknown;
    try {
      line = decide(await parseMessage(readFileSync(file), config.limits), directory, settings);
    } catch (err) {
      if (!(err instanceof UnparseableMessageError)) throw err;
      // Rejected, not crashed: the poller would move this message to the Failed folder.
      line = { isComplaint: false, automated: false, rejected: err.reason, targets: [], actions: [] };
    }
    // One line per message, with its file when there are several (JSON Lines).
    process.stdout.write(`${JSON.stringify(files.length > 1 ? { file, ...(line as object) } : line)}\n`);
  }
  return 0;
}

/** Runs the given parts until SIGTERM/SIGINT; SIGHUP reloads the customer directory. */
async function runUntilSignal(rt: Runtime, parts: Array<'poller' | 'triage' | 'notify'>): Promise<number> {
  // Start consumers before the producer, and stop in the reverse order:
  // poller first (no new work), then workers (finish jobs in hand), then Redis.
  const running: Closable[] = [];
  if (parts.includes('notify')) running.push(startNotifyWorker(rt));
  if (parts.includes('triage')) running.push(startTriageWorker(rt));
  if (parts.includes('poller')) running.push(startPoller(rt));
  rt.logger.info({ parts, customers: rt.directory.get().size }, 'abuse-desk started');

  process.on('SIGHUP', () => rt.directory.reload());
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  rt.logger.info('shutting down');
  const force = setTimeout(() => {
    rt.logger.error('shutdown took over 30 s; exiting');
    process.exit(1);
  }, 30_000);
  force.unref();
  for (const part of running.reverse()) await part.close();
  rt.logger.info('stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof DirectoryError || err instanceof TemplateError) {
      process.stderr.write(`abuse-desk: ${err.message}\n`);
      process.exitCode = 78; // EX_CONFIG
      return;
    }
    createLogger('error').fatal({ err }, 'abuse-desk crashed');
    process.exitCode = 1;
  },
);
