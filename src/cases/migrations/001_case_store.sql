-- abuse-desk case store, version 1. Runs with search_path set to the
-- configured schema (cases.schema). Reporters' identities live in one table
-- only, so retention can erase them in one place.

CREATE TABLE reporters (
  id           bigserial PRIMARY KEY,
  -- sha256 of the lower-cased address; replaced by a random value on erasure.
  address_hash bytea NOT NULL UNIQUE,
  address      text,
  name         text,
  trusted      boolean NOT NULL DEFAULT false,
  first_seen   timestamptz NOT NULL,
  last_seen    timestamptz NOT NULL,
  erased_at    timestamptz
);

CREATE TABLE campaigns (
  id          bigserial PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- Two campaigns found to share a signal become one: the newer points here.
  merged_into bigint REFERENCES campaigns (id)
);

-- What ties spam reports together: a sending IP, a sending or advertised
-- domain, a normalised body hash.
CREATE TABLE campaign_signals (
  signal      text PRIMARY KEY,
  campaign_id bigint NOT NULL REFERENCES campaigns (id)
);

CREATE SEQUENCE case_number_seq;

CREATE TABLE cases (
  id              bigserial PRIMARY KEY,
  ref             text NOT NULL UNIQUE,
  customer_id     text,
  target_type     text NOT NULL,
  target_value    text NOT NULL,
  category        text NOT NULL,
  policy          text NOT NULL CHECK (policy IN ('notify', 'review', 'never')),
  status          text NOT NULL,
  priority        text NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
  trusted         boolean NOT NULL DEFAULT false,
  report_count    integer NOT NULL DEFAULT 0,
  reporter_count  integer NOT NULL DEFAULT 0,
  max_from_one    integer NOT NULL DEFAULT 0,
  first_seen      timestamptz NOT NULL,
  last_seen       timestamptz NOT NULL,
  opened_at       timestamptz NOT NULL DEFAULT now(),
  closed_at       timestamptz,
  outcome         text,
  campaign_id     bigint REFERENCES campaigns (id),
  notices_sent    integer NOT NULL DEFAULT 0,
  notified_at     timestamptz,
  notified_reports integer NOT NULL DEFAULT 0,
  escalations     integer NOT NULL DEFAULT 0,
  escalated_at    timestamptz,
  reason          text
) WITH (fillfactor = 50);  -- room on the page for the updates each report makes (HOT updates)
-- At most one open case per (customer or none, target, category).
CREATE UNIQUE INDEX cases_open_key ON cases ((COALESCE(customer_id, '')), target_type, (lower(target_value)), category) WHERE closed_at IS NULL;
CREATE INDEX cases_open_status ON cases (status, priority) WHERE closed_at IS NULL;
-- By customer only: deduplicated, small; a customer's cases are few enough to filter by date.
CREATE INDEX cases_customer ON cases (customer_id);
CREATE INDEX cases_campaign ON cases (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX cases_closed ON cases (closed_at) WHERE closed_at IS NOT NULL;

-- One row per message, written once. Its case is case_id; a report about
-- several targets lists the others in more_case_ids.
CREATE TABLE reports (
  -- Fixed-width columns first: no padding between them.
  received_at   timestamptz NOT NULL,
  case_id       bigint NOT NULL REFERENCES cases (id),
  reporter_id   bigint REFERENCES reporters (id),
  -- The message key (msg-<32 hex>) as a uuid: the same message is one report.
  message_key   uuid PRIMARY KEY,
  automated     boolean NOT NULL,
  -- (Its category and priority are its cases'.)
  -- The first 128 bits of the sha256 of the raw message, as kept in the
  -- mailbox's Processed folder (compare with the start of `sha256sum`).
  evidence      bytea,
  -- Its other cases, when it named several targets.
  more_case_ids bigint[],
  -- What it set off (notices, escalation), so a retried job repeats the
  -- same mails and no others. No personal data.
  effects       jsonb
);
-- Many reports per case: btree deduplication keeps this index small.
CREATE INDEX reports_case ON reports (case_id);
CREATE INDEX reports_more_cases ON reports USING gin (more_case_ids) WHERE more_case_ids IS NOT NULL;

CREATE TABLE case_reporters (
  case_id     bigint NOT NULL REFERENCES cases (id),
  reporter_id bigint NOT NULL REFERENCES reporters (id),
  reports     integer NOT NULL,
  PRIMARY KEY (case_id, reporter_id)
);

-- Append-only history: who, when, what. Never holds a reporter's identity.
CREATE TABLE case_events (
  -- Order of events; looked up by case_id only.
  id      bigserial NOT NULL,
  case_id bigint NOT NULL REFERENCES cases (id),
  at      timestamptz NOT NULL DEFAULT now(),
  -- An operator's name; NULL for abuse-desk itself.
  actor   text,
  kind    text NOT NULL,
  detail  jsonb
);
-- By case only: btree deduplication keeps it small; a case's events sort by id.
CREATE INDEX case_events_case ON case_events (case_id);

CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only';
END
$$;
CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
