/** The words a case is described in: its statuses, a person's outcomes, flags, restrictions. One list each, read by the rules, the store, the API and the board. */

/** Where a case stands. `closed` is abuse-desk's own (a case quiet past the join window); `resolved` is a person's decision. */
export const CASE_STATUSES = ['open', 'awaiting_review', 'waiting_customer', 'customer_answered', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The statuses of a case still being worked (the board's default view). */
export const OPEN_STATUSES = ['open', 'awaiting_review', 'waiting_customer', 'customer_answered'] as const satisfies readonly CaseStatus[];

/** The statuses of a finished case (closed_at set). */
export const FINISHED_STATUSES = ['resolved', 'closed'] as const satisfies readonly CaseStatus[];

/** What a person decided when resolving a case. */
export const OUTCOMES = ['action_taken', 'no_action', 'not_manifestly_illegal', 'not_our_customer', 'duplicate'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Statuses a person may set (closing happens only through `resolved` with an outcome). */
export const SETTABLE_STATUSES = [...OPEN_STATUSES, 'resolved'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

export const FLAGS = ['good_faith', 'compromised', 'availability_risk'] as const;
export type CaseFlag = (typeof FLAGS)[number];

/** What was done, for the statement of reasons (DSA art. 17(1)) and its export. */
export const RESTRICTIONS = ['content_removed', 'content_disabled', 'account_suspended', 'account_terminated', 'service_suspended', 'service_terminated'] as const;
export type Restriction = (typeof RESTRICTIONS)[number];

/** On what ground: the law (illegal content) or our terms (incompatible content). */
export const GROUND_TYPES = ['illegal', 'terms'] as const;
export type GroundType = (typeof GROUND_TYPES)[number];
