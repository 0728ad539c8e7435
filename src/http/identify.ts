import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { scrubbed } from '../log.ts';
import type { OperatorStore } from '../operators/operator-store.ts';
import type { Operator } from '../operators/roles.ts';
import { tokenHash } from '../operators/tokens.ts';
import { configOperator } from './auth.ts';

/**
 * Who a request comes from: an API token (api.operators, or one of the
 * operator store's) or a board session. Every answer is read from the store
 * at the moment of asking, so a revoked operator is refused on their next
 * request, on every process, without a restart. A config-defined operator
 * revoked in the store stays revoked; should the store not answer, the last
 * revocations it gave are kept (never forgotten in an outage).
 */
export class Identify {
  private knownRevoked = new Set<string>();
  private local: { at: number; value: boolean } | null = null;

  constructor(
    private readonly api: Config['api'],
    private readonly store: OperatorStore,
    private readonly logger: Logger,
    /** api.operators as they are now (re-read on SIGHUP: src/operators/config-operators.ts). */
    private readonly configOperators: () => readonly Config['api']['operators'][number][] = () => api.operators,
  ) {}

  /** No operator anywhere (the API then listens on loopback only): everyone is the local admin. Asked at most every 2 s. */
  async localMode(): Promise<boolean> {
    if (this.configOperators().length) return false;
    if (this.local && Date.now() - this.local.at < 2000) return this.local.value;
    // An unreachable store could hide operators: then nobody is the local admin.
    const value = !(await this.store.anyActive().catch(() => true));
    this.local = { at: Date.now(), value };
    return value;
  }

  private async revoked(name: string): Promise<boolean> {
    try {
      const names = await this.store.revokedNames([name]);
      if (names.has(name)) this.knownRevoked.add(name);
      else this.knownRevoked.delete(name);
      return names.has(name);
    } catch (err) {
      this.logger.warn({ err: scrubbed(err) }, 'operator store unavailable; the revocations known before are applied');
      return this.knownRevoked.has(name);
    }
  }

  /** The operator an API token belongs to, if it is live. */
  async byToken(token: string): Promise<Operator | null> {
    const fromConfig = configOperator(token, this.configOperators());
    if (fromConfig) return (await this.revoked(fromConfig.name)) ? null : fromConfig;
    return this.store.byTokenHash(tokenHash(token));
  }

  /** The operator of a live board session. */
  async bySession(id: string): Promise<Operator | null> {
    const s = await this.store.session(id, this.api.session.idleSec, this.api.session.maxSec);
    if (!s) return null;
    const fromConfig = this.configOperators().find((o) => o.name === s.operator);
    if (fromConfig) return (await this.revoked(fromConfig.name)) ? null : { name: fromConfig.name, role: fromConfig.role };
    const role = await this.store.activeRole(s.operator);
    return role ? { name: s.operator, role } : null;
  }

  /** Sign-in: the operator named, if the token is theirs and they are live. */
  async signIn(name: string, token: string): Promise<Operator | null> {
    const op = await this.byToken(token);
    return op && op.name === name ? op : null;
  }

  startSession(operator: string): Promise<string> {
    return this.store.createSession(operator);
  }

  endSession(id: string): Promise<void> {
    return this.store.endSession(id);
  }
}
