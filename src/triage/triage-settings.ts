import { loadRules } from '../classify/rules.ts';
import type { Config } from '../config/schema.ts';
import type { TriageSettings } from './decide.ts';

/** The triage settings a config gives (the rules file is read and compiled once). */
export function triageSettings(config: Readonly<Config>): TriageSettings {
  return {
    rules: loadRules(config.rules.file),
    ownDomains: config.desk.ownDomains,
    defaultLanguage: config.desk.defaultLanguage,
    profileUrlPatterns: config.accounts.profileUrlPatterns,
    atHandles: config.accounts.atHandles,
    namedTargets: config.cases.namedTargets,
  };
}
