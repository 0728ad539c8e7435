-- abuse-desk case store, version 2: what people do with cases.

-- Good faith, compromised account or password, availability risk: set by a
-- person, read by the graduated response.
-- NULL (no flag) costs nothing on the row.
ALTER TABLE cases ADD COLUMN flags text[];
-- A case merged into another points to it (and is resolved as a duplicate).
ALTER TABLE cases ADD COLUMN merged_into bigint REFERENCES cases (id);
-- When a person released the notice of a case held for review.
ALTER TABLE cases ADD COLUMN released_at timestamptz;
-- The language a reporter wrote in (en, fr): their decision notice is in it.
ALTER TABLE reporters ADD COLUMN language text;
