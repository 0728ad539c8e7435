import { loadRules } from './classify/rules.ts';
import type { Config } from './config/schema.ts';
import { DirectoryHolder } from './directory/directory-holder.ts';
import { sourceOf } from './directory/load-directory.ts';
import { createLogger, type Logger } from './log.ts';
import { loadTemplates, type TemplateSet } from './notify/templates.ts';
import { OpsEvents } from './ops-events.ts';
import { loadConfig } from './config/load.ts';
import { ConfigOperators } from './operators/config-operators.ts';

/** What every abuse-desk process loads once at start, validated, before touching any queue. */
export interface Runtime {
  config: Readonly<Config>;
  logger: Logger;
  directory: DirectoryHolder;
  templates: TemplateSet;
  /** Relay failures, dead letters, failed jobs, held mail: for alerts and metrics. */
  events: OpsEvents;
  /** api.operators, re-read from the config file on SIGHUP (the rest of the config needs a restart). */
  operators: ConfigOperators;
  close(): void;
}

/** Loads templates and the directory; throws (naming the file and key) if either is invalid. */
export async function createRuntime(config: Readonly<Config>, logger = createLogger(config.log.level), configFile?: string): Promise<Runtime> {
  const templates = loadTemplates(config.templates.dir, config.ladder.rungs.map((r) => r.template), config.desk.defaultLanguage);
  // Checked here so a bad rules file stops the start, naming the key.
  loadRules(config.rules.file);
  const directory = await DirectoryHolder.open(sourceOf(config.directory), logger, config.directory);
  const operators = new ConfigOperators(config.api.operators, () => loadConfig({ configFile }).api.operators, logger);
  return { config, logger, directory, templates, events: new OpsEvents(), operators, close: () => directory.close() };
}
