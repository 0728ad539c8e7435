/** One indicator found in a complaint, before it is matched to a customer. */
export interface Indicator {
  kind: 'url' | 'ip' | 'host' | 'email' | 'account';
  /** The indicator as normalised: a URL, an address, a lower-case ASCII host, an e-mail address, a handle. */
  value: string;
  /** Host part for url / email / host, ASCII lower case; the address for ip. */
  host: string;
  /** What the complaint says of it (target-roles.ts); absent until roles are decided: reported. */
  role?: TargetRole;
  /** The evidence for the role. */
  roleWhy?: string;
  /** An "@handle" read while accounts.atHandles is off: a target only if the directory has that account. */
  ifKnown?: boolean;
  /** How sure the desk is that a reported name is what the report is about (target-basis.ts); reported only. */
  basis?: TargetBasis;
  /** The evidence for the basis. */
  basisWhy?: string;
  /** Where the name came from (target-shape.ts): what a person's correction is recorded against. */
  shape?: string;
}

/**
 * How a reported target was found to be reported: `stated` (a machine
 * report's field, a feed row, the mail path of a spam, SpamCop's statement),
 * `accused` (the reporter's own words accuse it: an accusing sentence, a
 * labelled field, the subject, a defanged name) or `named` (it only
 * appears: in a forwarded copy, a link, a list with no words about it).
 * A named target that matches a customer waits for a person.
 */
export type TargetBasis = 'stated' | 'accused' | 'named';

/**
 * What a complaint says of a host, address or account it names: `reported`
 * (what it accuses) or `context` (named, not accused: the reporter's own
 * signature, a share link, the genuine site a phishing page imitates, the
 * victim of an attack, a private address). Only reported targets are matched
 * for notices; context stays in the decision for a person to see.
 */
export type TargetRole = 'reported' | 'context';

/** What one mention says of a name; inHeader: a header field's name labels it. */
export type Mention = { role: TargetRole; why: string; inHeader?: boolean; at?: number };

export interface RoleDecision {
  role: TargetRole;
  /** The evidence, for the decision's `why`. */
  why: string;
  /** Set when the decision itself says how sure it is (a labelled field). */
  basis?: TargetBasis;
  /** Context only beside a reported address: a private address that is the only address a report accuses is what it is about (anonymised examples, internal incidents). */
  unlessAlone?: boolean;
}
