-- abuse-desk case store, version 11: who works a case.

-- owner: the operator who took or was given the case (NULL: unassigned).
-- "My cases" and "unassigned" are lists of open cases by deadline.
ALTER TABLE cases ADD COLUMN owner text;
-- An operator's open cases; the unassigned (most of them) are read through
-- cases_open_due, so they take no room here.
CREATE INDEX cases_open_owner ON cases (owner, sla_due_at) WHERE closed_at IS NULL AND owner IS NOT NULL;
