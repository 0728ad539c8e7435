import type { Logger } from '../log.ts';
import { OperatorStore } from '../operators/operator-store.ts';
import type { CaseStore } from '../cases/case-store.ts';

/**
 * Retention, every `everySec`: quiet cases closed, then reporters of cases
 * closed more than `reporterDataDays` ago erased with their reports'
 * evidence, and expired board sessions
 * removed. Idempotent, so every triage process may run it. 0 turns it off.
 */
export function startRetentionSweep(cases: CaseStore, o: { everySec: number; reporterDataDays: number; logger: Logger }): { close(): void } {
  const sweep = async (): Promise<void> => {
    try {
      const closed = await cases.closeQuiet();
      const erased = await cases.purgeReporters(o.reporterDataDays);
      const evidence = await cases.purgeEvidence(o.reporterDataDays);
      const sessions = await new OperatorStore(cases.pool).purgeSessions();
      if (closed || erased || evidence || sessions) o.logger.info({ closed, erased, evidence, sessions }, 'case retention sweep');
    } catch (err) {
      o.logger.error({ err }, 'case retention sweep failed; retried at the next interval');
    }
  };
  const timer = o.everySec > 0 ? setInterval(() => void sweep(), o.everySec * 1000) : null;
  timer?.unref();
  return { close: () => timer && clearInterval(timer) };
}
