-- abuse-desk case store, version 4: reporters of manifestly unfounded notices (DSA art. 23).

-- Set by a person; cleared by a person. While set, the reporter's notices
-- are processed at low priority. warned_at: when they were told (once).
ALTER TABLE reporters ADD COLUMN unfounded_at timestamptz;
ALTER TABLE reporters ADD COLUMN warned_at timestamptz;
