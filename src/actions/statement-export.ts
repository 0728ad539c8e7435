import type pg from 'pg';
import type { Category } from '../config/category-names.ts';
import type { GroundType, Restriction } from '../cases/case-vocabulary.ts';

/** A resolved case with action taken, as the store holds it. */
export interface ActedCase {
  ref: string;
  category: Category;
  targetType: string;
  target: string;
  reports: number;
  firstSeen: Date;
  lastSeen: Date;
  closedAt: Date;
  trusted: boolean;
  automatedDetection: boolean;
  ground: string;
  groundType: GroundType;
  restriction: Restriction;
  reason: string | null;
}

// The transparency database's categories (its STATEMENT_CATEGORY_* keys).
const CATEGORY: Partial<Record<Category, string>> = {
  phishing: 'STATEMENT_CATEGORY_FRAUD',
  fraud: 'STATEMENT_CATEGORY_FRAUD',
  spam: 'STATEMENT_CATEGORY_VIOLATION_TOS',
  malware: 'STATEMENT_CATEGORY_VIOLATION_TOS',
  attack: 'STATEMENT_CATEGORY_VIOLATION_TOS',
  copyright: 'STATEMENT_CATEGORY_PIRACY',
  trademark: 'STATEMENT_CATEGORY_COUNTERFEIT',
  hate: 'STATEMENT_CATEGORY_DISCRIMINATION',
  csam: 'STATEMENT_CATEGORY_CHILD_SAFETY',
};

const RESTRICTION: Record<Restriction, Record<string, unknown>> = {
  content_removed: { decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED'] },
  content_disabled: { decision_visibility: ['DECISION_VISIBILITY_CONTENT_DISABLED'] },
  account_suspended: { decision_account: 'DECISION_ACCOUNT_SUSPENDED' },
  account_terminated: { decision_account: 'DECISION_ACCOUNT_TERMINATED' },
  service_suspended: { decision_provision: 'DECISION_PROVISION_TOTAL_SUSPENSION' },
  service_terminated: { decision_provision: 'DECISION_PROVISION_TOTAL_TERMINATION' },
};

/**
 * One statement of reasons with the fields of the EU DSA transparency
 * database (decision, ground, facts, automated detection and decision,
 * source type, category, dates). Nothing identifies the reporters. Pure.
 */
export function statementOfReasons(c: ActedCase): Record<string, unknown> {
  const day = (d: Date): string => d.toISOString().slice(0, 10);
  const facts = `${c.reports} notice(s) of ${c.category} about ${c.target || 'the content'} received between ${day(c.firstSeen)} and ${day(c.lastSeen)}${c.reason ? `; ${c.reason}` : ''}`;
  const ground =
    c.groundType === 'illegal'
      ? { decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT', illegal_content_legal_ground: c.ground, illegal_content_explanation: c.reason ?? facts }
      : { decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT', incompatible_content_ground: c.ground, incompatible_content_explanation: c.reason ?? facts };
  return {
    puid: c.ref,
    ...RESTRICTION[c.restriction],
    ...ground,
    category: CATEGORY[c.category] ?? 'STATEMENT_CATEGORY_UNCATEGORISED',
    content_type: ['CONTENT_TYPE_OTHER'],
    content_type_other: c.targetType === 'account' ? 'account' : 'hosted or registered web content',
    decision_facts: facts,
    source_type: c.trusted ? 'SOURCE_TRUSTED_FLAGGER' : 'SOURCE_ARTICLE_16',
    automated_detection: c.automatedDetection ? 'Yes' : 'No',
    // Every decision is a person's: abuse-desk never restricts anything by itself.
    automated_decision: 'No',
    application_date: day(c.closedAt),
  };
}

/** Every case resolved with action taken, with the details of its last resolution, oldest first. */
export async function* actedCases(pool: pg.Pool, pageSize = 500): AsyncGenerator<ActedCase> {
  let after = '0';
  for (;;) {
    const res = await pool.query(
      `SELECT c.id, c.ref, c.category, c.target_type, c.target_value, c.report_count, c.first_seen, c.last_seen, c.closed_at, c.trusted, e.detail,
              (SELECT COALESCE(bool_or(p.automated), false) FROM reports p WHERE p.case_id = c.id) AS automated
       FROM cases c
       JOIN LATERAL (SELECT detail FROM case_events WHERE case_id = c.id AND kind = 'status' AND detail->>'to' = 'resolved' ORDER BY id DESC LIMIT 1) e ON true
       WHERE c.outcome = 'action_taken' AND c.id > $1::bigint ORDER BY c.id LIMIT $2`,
      [after, pageSize],
    );
    for (const r of res.rows) {
      yield {
        ref: r.ref,
        category: r.category,
        targetType: r.target_type,
        target: r.target_type === 'none' ? '' : r.target_value,
        reports: r.report_count,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        closedAt: r.closed_at,
        trusted: r.trusted,
        automatedDetection: r.automated,
        ground: r.detail?.ground ?? '',
        groundType: r.detail?.groundType === 'illegal' ? 'illegal' : 'terms',
        restriction: r.detail?.restriction ?? 'content_disabled',
        reason: r.detail?.reason ?? null,
      };
    }
    if (res.rows.length < pageSize) return;
    after = res.rows[res.rows.length - 1].id;
  }
}
