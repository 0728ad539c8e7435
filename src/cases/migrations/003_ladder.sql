-- abuse-desk case store, version 3: graduated response.

-- The rung of the case's first notice (ladder.rungs[].name), and the date by
-- which the customer was asked to answer.
ALTER TABLE cases ADD COLUMN rung text;
ALTER TABLE cases ADD COLUMN deadline_at timestamptz;
