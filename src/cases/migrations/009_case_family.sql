-- abuse-desk case store, version 9: conduct against a person on an account
-- (harassment, threats, doxxing, hate) is one case whatever the wording.

-- family: what the open-case key is made of instead of the category
-- (COALESCE(family, category)). Conduct against a person on an account is
-- 'conduct'; anything else is NULL, its category (no byte spent on it).
-- Written by the store at insert (src/cases/case-family.ts decides), never
-- changed: a conduct case's category may rise to the most severe report's,
-- within the family.
ALTER TABLE cases ADD COLUMN family text;
-- Open conduct cases about one account: the one with the latest report
-- becomes the family's (later reports join it); any other stays on its own
-- until it closes, so no open key is doubled.
UPDATE cases SET family = 'conduct' WHERE target_type = 'account' AND category IN ('violence', 'privacy', 'hate', 'harassment')
  AND (closed_at IS NOT NULL OR id IN (
    SELECT DISTINCT ON (COALESCE(customer_id, ''), lower(target_value)) id FROM cases
     WHERE closed_at IS NULL AND target_type = 'account' AND category IN ('violence', 'privacy', 'hate', 'harassment')
     ORDER BY COALESCE(customer_id, ''), lower(target_value), last_seen DESC, id DESC));
DROP INDEX cases_open_key;
CREATE UNIQUE INDEX cases_open_key ON cases ((COALESCE(customer_id, '')), target_type, (lower(target_value)), (COALESCE(family, category))) WHERE closed_at IS NULL;
