/** Where a case stands. `closed` is abuse-desk's own (a case quiet past the join window); `resolved` is a person's decision. */
export const CASE_STATUSES = ['open', 'awaiting_review', 'waiting_customer', 'customer_answered', 'resolved', 'closed'] as const;
export type CaseStatusName = (typeof CASE_STATUSES)[number];

/** What a person decided when resolving a case. */
export const OUTCOMES = ['action_taken', 'no_action', 'not_manifestly_illegal', 'not_our_customer', 'duplicate'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Statuses a person may set (closing happens only through `resolved` with an outcome). */
export const SETTABLE_STATUSES = ['open', 'awaiting_review', 'waiting_customer', 'customer_answered', 'resolved'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

export const FLAGS = ['good_faith', 'compromised', 'availability_risk'] as const;
export type CaseFlag = (typeof FLAGS)[number];

export class ActionError extends Error {
  override name = 'ActionError';
  constructor(
    message: string,
    /** HTTP status the API answers with. */
    readonly status: 400 | 404 | 409,
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

/** What was done, for the statement of reasons (DSA art. 17(1)) and its export. */
export const RESTRICTIONS = ['content_removed', 'content_disabled', 'account_suspended', 'account_terminated', 'service_suspended', 'service_terminated'] as const;
export type Restriction = (typeof RESTRICTIONS)[number];

/** On what ground: the law (illegal content) or our terms (incompatible content). */
export const GROUND_TYPES = ['illegal', 'terms'] as const;
export type GroundType = (typeof GROUND_TYPES)[number];

/** The details of a resolution that a statement of reasons needs. */
export interface Resolution {
  reason?: string;
  ground?: string;
  groundType?: GroundType;
  restriction?: Restriction;
}
