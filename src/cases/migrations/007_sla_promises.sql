-- abuse-desk case store, version 7: the SLA clocks measure what was promised.

-- first_notice_at: when the relay accepted the case's first notice (the
-- notice clock runs until then, not until the notice was queued).
-- reviewed_at: when a person decided on a case awaiting review (released,
-- withheld, resolved); the review clock runs until then. Both NULL until set.
ALTER TABLE cases ADD COLUMN first_notice_at timestamptz;
ALTER TABLE cases ADD COLUMN reviewed_at timestamptz;

-- Cases notified before this version: their first notice was sent when planned.
UPDATE cases SET first_notice_at = COALESCE(notified_at, opened_at) WHERE notices_sent > 0;
-- Cases withheld before this version were decided by a person.
UPDATE cases c SET reviewed_at = e.at
FROM (SELECT case_id, max(at) AS at FROM case_events WHERE kind IN ('withheld', 'released') GROUP BY case_id) e
WHERE e.case_id = c.id AND c.status = 'awaiting_review';
