import { OUTCOMES, type GroundType, type Outcome, type Restriction, type SettableStatus } from '../cases/case-vocabulary.ts';

export class ActionError extends Error {
  override name = 'ActionError';
  constructor(
    message: string,
    /** HTTP status the API answers with. */
    readonly status: 400 | 404 | 409 | 410,
  ) {
    super(message);
  }
}

/** Checks a status change; throws an ActionError that says what is allowed. Pure. */
export function checkStatusChange(from: string, to: SettableStatus, outcome: Outcome | undefined): void {
  if (from === 'resolved' || from === 'closed') {
    if (to !== 'open') throw new ActionError(`the case is ${from}; only reopening it ("open") is possible`, 409);
  }
  if (to === 'resolved' && !outcome) throw new ActionError(`resolving needs an outcome: one of ${OUTCOMES.join(', ')}`, 400);
  if (to !== 'resolved' && outcome) throw new ActionError('an outcome goes with status "resolved" only', 400);
}



/** The details of a resolution that a statement of reasons needs. */
export interface Resolution {
  reason?: string;
  ground?: string;
  groundType?: GroundType;
  restriction?: Restriction;
}
