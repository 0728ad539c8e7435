import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { DnsResolver } from '../directory/dns-resolver.ts';
import type { ParsedMessage } from '../parse/parsed-message.ts';
import { AnalysisAbandonedError } from './analysis-pool.ts';
import { analyse, conclude, hostsToResolve, unanalysable, type Analysis, type TriageSettings } from './decide.ts';
import type { Verdict } from './verdict.ts';
import type { LearnedRule } from './learned-rules.ts';

/** Runs the analysis elsewhere (an analysis thread with a time budget). */
export type Analyser = (m: ParsedMessage) => Promise<Analysis>;

/**
 * Triage with the one I/O step it may need: DNS lookups of host names the
 * directory does not know, between the pure analysis and the pure conclusion.
 * With an analyser, an analysis it abandons makes a case for a person.
 */
export async function triageMessage(
  m: ParsedMessage,
  directory: CustomerDirectory,
  settings: TriageSettings,
  dns: DnsResolver | null,
  analyser?: Analyser,
  learned: readonly LearnedRule[] = [],
): Promise<Verdict> {
  const analysis = analyser ? await analyser(m).catch((err: unknown) => {
    if (err instanceof AnalysisAbandonedError) return unanalysable(settings, err.message);
    throw err;
  }) : analyse(m, settings);
  const resolved = dns && analysis.kind.isComplaint ? await dns.resolveAll(hostsToResolve(analysis, directory)) : undefined;
  return conclude(analysis, m, directory, settings, resolved, learned);
}
