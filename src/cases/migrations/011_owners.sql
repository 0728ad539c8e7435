-- abuse-desk case store, version 11: who works a case.

-- owner: the operator who took or was given the case (NULL: unassigned).
-- "My cases" and "unassigned" are lists of open cases by deadline.
ALTER TABLE cases ADD COLUMN owner text;
CREATE INDEX cases_open_owner ON cases (owner, sla_due_at, id) WHERE closed_at IS NULL;
