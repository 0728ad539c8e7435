import type { Config } from './config/schema.ts';
import { DirectoryHolder } from './directory/directory-holder.ts';
import { createLogger, type Logger } from './log.ts';
import { loadTemplates, type TemplateSet } from './notify/templates.ts';

/** What every abuse-desk process loads once at start, validated, before touching any queue. */
export interface Runtime {
  config: Readonly<Config>;
  logger: Logger;
  directory: DirectoryHolder;
  templates: TemplateSet;
}

/** Loads directory and templates; throws (naming the file and key) if either is invalid. */
export function createRuntime(config: Readonly<Config>, logger = createLogger(config.log.level)): Runtime {
  return {
    config,
    logger,
    directory: new DirectoryHolder(config.directory.file, logger),
    templates: loadTemplates(config.templates.dir),
  };
}
