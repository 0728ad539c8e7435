-- abuse-desk case store, version 10: lists and search. Each open case's nearest SLA deadline in
-- an indexed column, so lists sort and filter in the database.

-- sla_due_at / sla_warn_at / sla_clock: the running clock that falls due
-- first (src/ops/sla.ts caseClocks), NULL when none runs. They depend on the
-- policy in config (limits, business hours), so the database cannot compute
-- them: a change to anything they depend on marks the row stale (trigger
-- below) and abuse-desk re-derives stale rows at once (src/ops/sla-deadlines.ts:
-- the SLA scanner every scan, the API before each list). A changed policy is
-- applied to every open case by `abuse-desk cases rederive-deadlines`.
ALTER TABLE cases ADD COLUMN sla_due_at timestamptz;
ALTER TABLE cases ADD COLUMN sla_warn_at timestamptz;
-- The clock as one byte (n notice, v review, s resolve): sla_clock_name() reads it.
ALTER TABLE cases ADD COLUMN sla_clock "char";
ALTER TABLE cases ADD COLUMN sla_stale boolean NOT NULL DEFAULT true;
UPDATE cases SET sla_stale = false WHERE closed_at IS NOT NULL;

CREATE FUNCTION sla_clock_code(name text) RETURNS "char" LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE name WHEN 'notice' THEN 'n' WHEN 'review' THEN 'v' WHEN 'resolve' THEN 's' END::"char" $$;
CREATE FUNCTION sla_clock_name(code "char") RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE code WHEN 'n' THEN 'notice' WHEN 'v' THEN 'review' WHEN 's' THEN 'resolve' END $$;

-- Ties (the same deadline to the millisecond) are few: the list sorts them by id after the index.
CREATE INDEX cases_open_due ON cases (sla_due_at) WHERE closed_at IS NULL;
-- A status's open cases by deadline (the views "awaiting review", "waiting for
-- the customer"...): in place of (status, priority), which the lists no longer
-- sort by; counting open cases by status and priority now reads their rows.
DROP INDEX cases_open_status;
CREATE INDEX cases_open_status ON cases (status, sla_due_at) WHERE closed_at IS NULL;
CREATE INDEX cases_sla_stale ON cases (id) WHERE sla_stale AND closed_at IS NULL;

CREATE FUNCTION cases_sla_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.closed_at IS NOT NULL THEN
    NEW.sla_stale := false; NEW.sla_due_at := NULL; NEW.sla_warn_at := NULL; NEW.sla_clock := NULL;
  -- The case store writing a report's effects computes the deadline itself and says so (set_config, for
  -- that statement): one write, not a second to re-derive it.
  ELSIF current_setting('abuse_desk.deadlines', true) IS DISTINCT FROM 'written' THEN
    NEW.sla_stale := true;
  END IF;
  RETURN NEW;
END
$$;

-- A case is inserted stale (the column's default) unless the store wrote its deadline with it.
CREATE TRIGGER cases_sla_stale_update BEFORE UPDATE ON cases FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.category IS DISTINCT FROM NEW.category
     OR OLD.policy IS DISTINCT FROM NEW.policy OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.first_notice_at IS DISTINCT FROM NEW.first_notice_at
     OR OLD.reviewed_at IS DISTINCT FROM NEW.reviewed_at OR OLD.paused_sec IS DISTINCT FROM NEW.paused_sec OR OLD.opened_at IS DISTINCT FROM NEW.opened_at
     OR OLD.closed_at IS DISTINCT FROM NEW.closed_at)
  EXECUTE FUNCTION cases_sla_stale();

-- Search. A target by itself or by domain suffix ("example.test" finds
-- www.example.test): reversed, a suffix is a prefix, which a btree serves.
CREATE INDEX cases_target_rev ON cases (reverse(lower(target_value)) text_pattern_ops);
-- A reporter's cases, from their address's hash.
CREATE INDEX case_reporters_reporter ON case_reporters (reporter_id);
