import type pg from 'pg';
import type { Outcome } from '../cases/case-vocabulary.ts';
import type { CustomerDirectory } from '../directory/customer-directory.ts';
import type { MailIntent } from '../notify/mail-intent.ts';
import { mailId } from '../notify/plan-mails.ts';
import type { LockedCase } from './locked-case.ts';
import { openingReport, seenOf } from './held-notice.ts';

/**
 * The mails a resolution sends: each reporter who wrote as a person hears
 * the outcome in their language; when action was taken against a
 * customer's content, the customer gets a statement of reasons (facts,
 * ground, automated means, how to contest). Neither names the other party.
 */
export async function outcomeMails(db: pg.PoolClient, c: LockedCase, directory: CustomerDirectory, o: { outcome: Outcome; reason?: string; ground?: string; n: number }): Promise<MailIntent[]> {
const { outcome, reason, ground, n } = o;
  const base = {
    caseRef: c.ref,
    category: c.category,
    priority: c.priority,
    receivedAt: c.first_seen.toISOString(),
    automated: false,
    // The URLs the opening report gave, as its first notice listed them.
    targets: [{ value: c.target_type === 'none' ? '(no address)' : c.target_value, seen: seenOf(await openingReport(db, c.id), c) }],
    outcome,
    reason,
  };
  // Reporters who wrote as people (a feed or a machine report is not told), not erased.
  const reporters = await db.query<{ address: string; language: string | null }>(
    `SELECT r.address, r.language FROM case_reporters cr JOIN reporters r ON r.id = cr.reporter_id
     WHERE cr.case_id = $1 AND r.address IS NOT NULL
       AND EXISTS (SELECT 1 FROM reports p WHERE p.reporter_id = r.id AND NOT p.automated AND (p.case_id = $1 OR p.more_case_ids @> ARRAY[$1::bigint]))
     ORDER BY r.id`,
    [c.id],
  );
  const mails: MailIntent[] = reporters.rows.map((r) => ({
    ...base,
    id: mailId(`${c.ref}#resolved-${n}`, 'decision', r.address),
    kind: 'decision' as const,
    to: r.address,
    language: r.language === 'fr' ? ('fr' as const) : ('en' as const),
  }));
  const customer = c.customer_id ? directory.customer(c.customer_id) : undefined;
  if (outcome === 'action_taken' && customer) {
    const facts = (await db.query<{ automated: boolean; last_seen: Date }>(
      `SELECT COALESCE(bool_or(p.automated), false) AS automated, max(p.received_at) AS last_seen FROM reports p WHERE p.case_id = $1 OR p.more_case_ids @> ARRAY[$1::bigint]`,
      [c.id],
    )).rows[0]!;
    mails.push({
      ...base,
      id: mailId(`${c.ref}#resolved-${n}`, 'statement', customer.contact.email),
      kind: 'statement',
      to: customer.contact.email,
      language: customer.contact.language,
      customerId: customer.id,
      customerName: customer.name,
      caseReports: c.report_count,
      ground,
      firstSeen: c.first_seen.toISOString(),
      lastSeen: (facts.last_seen ?? c.first_seen).toISOString(),
      automatedDetection: facts.automated,
    });
  }
  return mails;
}
