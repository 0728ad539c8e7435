-- abuse-desk case store, version 6: the desk's own secrets, and the people
-- who work it.

-- Secrets the desk makes for itself, once, shared by every process: the key
-- of the per-case reply addresses given to customers (abuse+REF.TAG@…).
-- Rotating it (deleting the row) makes earlier reply addresses unverifiable.
CREATE TABLE desk_secrets (
  name text PRIMARY KEY,
  secret bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Operators managed with `abuse-desk operator add|list|revoke|rotate`.
-- source 'config': one of api.operators, recorded here only when revoked,
-- so a revocation needs no config edit and no restart.
CREATE TABLE operators (
  name text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('viewer', 'agent', 'admin')),
  source text NOT NULL DEFAULT 'store' CHECK (source IN ('store', 'config')),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Their API tokens, by sha256 only; a rotation revokes the old one.
CREATE TABLE operator_tokens (
  token_sha256 bytea PRIMARY KEY,
  operator text NOT NULL REFERENCES operators (name),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX operator_tokens_operator ON operator_tokens (operator);

-- Board sessions: the cookie holds a random id, this table its sha256.
-- Ended by sign-out, by idle or absolute expiry (api.session), and at once
-- for every session of an operator revoked or rotated.
CREATE TABLE board_sessions (
  id_sha256 bytea PRIMARY KEY,
  operator text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);
CREATE INDEX board_sessions_operator ON board_sessions (operator) WHERE ended_at IS NULL;
