-- abuse-desk case store, version 8: what a person needs to judge a case: the
-- report as received, and every mail the desk sent about it.

-- One row per report, written in the transaction that writes the report, apart
-- from the case rows so lists and locks never read it. raw_gz: the message as
-- received (gzip; the .eml agents download). view_gz: gzip of the JSON the
-- case view shows (subject, date, sender, text, attachments, targets found
-- with their role and why). search: its words, English and French, for
-- full-text search. Identifies the reporter, so retention erases it with
-- them: the three go to NULL and erased_at says when.
CREATE TABLE report_evidence (
  message_key uuid PRIMARY KEY REFERENCES reports (message_key),
  message_id  text,
  raw_bytes   integer NOT NULL,
  raw_gz      bytea,
  view_gz     bytea,
  search      tsvector,
  erased_at   timestamptz
);
-- Already compressed: stored out of line as it is, not compressed again.
ALTER TABLE report_evidence ALTER COLUMN raw_gz SET STORAGE EXTERNAL;
ALTER TABLE report_evidence ALTER COLUMN view_gz SET STORAGE EXTERNAL;
CREATE INDEX report_evidence_message_id ON report_evidence (lower(message_id)) WHERE message_id IS NOT NULL;
CREATE INDEX report_evidence_search ON report_evidence USING gin (search) WHERE search IS NOT NULL;

-- Every mail the desk sent, held or gave up on for a case (acknowledgements
-- included), as composed: the case's thread. Written by the mail worker when
-- the relay answers (or the mail is held), once per mail id. body_gz: gzip of
-- the text part as sent. reporter_id: the reporter it went to (numbered on
-- the case view; never shown to a viewer).
CREATE TABLE case_mails (
  mail_id     text PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES cases (id),
  more_case_ids bigint[],
  at          timestamptz NOT NULL DEFAULT now(),
  kind        text NOT NULL,
  party       text NOT NULL CHECK (party IN ('reporter', 'customer', 'desk', 'authority')),
  reporter_id bigint REFERENCES reporters (id),
  subject     text NOT NULL,
  body_gz     bytea,
  state       text NOT NULL CHECK (state IN ('sent', 'refused', 'capped', 'suppressed', 'dead-lettered')),
  reason      text
);
ALTER TABLE case_mails ALTER COLUMN body_gz SET STORAGE EXTERNAL;
CREATE INDEX case_mails_case ON case_mails (case_id);
CREATE INDEX case_mails_more_cases ON case_mails USING gin (more_case_ids) WHERE more_case_ids IS NOT NULL;
