-- abuse-desk case store, version 12: targets a person confirms, and what their corrections teach.

-- confirm: the case's target is only named in its report (docs/triage.md,
-- "How sure"); nothing goes to the customer until a person confirms it (the
-- category's policy then applies) or dismisses it (the case is resolved).
ALTER TABLE cases DROP CONSTRAINT cases_policy_check;
ALTER TABLE cases ADD CONSTRAINT cases_policy_check CHECK (policy IN ('notify', 'review', 'never', 'confirm'));
-- The board lists them first.
CREATE INDEX cases_to_confirm ON cases (opened_at) WHERE closed_at IS NULL AND policy = 'confirm';

-- A person's correction, applied to the same sender's later reports only:
-- source is the sender's registrable domain, shape where the name came from
-- (target-basis.ts shapeOf), value the name (registrable domain, host or
-- address). dismiss: no longer a reported target there; confirm: reported
-- as accused there. Removed rules keep their row (removed_at) for the history.
CREATE TABLE learned_target_rules (
  id             bigserial PRIMARY KEY,
  source         text NOT NULL,
  shape          text NOT NULL,
  value          text NOT NULL,
  verdict        text NOT NULL CHECK (verdict IN ('dismiss', 'confirm')),
  origin_case_id bigint REFERENCES cases (id),
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  removed_at     timestamptz,
  removed_by     text
);
CREATE UNIQUE INDEX learned_target_rules_live ON learned_target_rules (source, shape, value) WHERE removed_at IS NULL;
