import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';

type ConfigOperator = Config['api']['operators'][number];

/**
 * The operators defined in the config file (api.operators), re-read on
 * SIGHUP so a token added or removed there takes effect without a restart.
 * A config that no longer loads is logged and the operators known before are
 * kept: a typo never locks everyone out, nor lets anyone in.
 */
export class ConfigOperators {
  private current: readonly ConfigOperator[];

  constructor(
    initial: readonly ConfigOperator[],
    private readonly reread: () => readonly ConfigOperator[],
    private readonly logger: Logger,
  ) {
    this.current = initial;
  }

  get(): readonly ConfigOperator[] {
    return this.current;
  }

  /** Re-reads api.operators; true when the new list is in use. */
  reload(): boolean {
    try {
      const next = this.reread();
      const before = new Set(this.current.map((o) => `${o.name}:${o.role}:${o.tokenSha256}`));
      const after = new Set(next.map((o) => `${o.name}:${o.role}:${o.tokenSha256}`));
      this.current = next;
      const added = [...after].filter((k) => !before.has(k)).length;
      const removed = [...before].filter((k) => !after.has(k)).length;
      this.logger.info({ operators: next.length, added, removed }, 'api.operators reloaded');
      return true;
    } catch (err) {
      this.logger.error({ err: { message: (err as Error).message } }, 'api.operators not reloaded: the config does not load; the operators before are kept');
      return false;
    }
  }
}
