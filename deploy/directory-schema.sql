-- abuse-desk customer directory (PostgreSQL). Load with: abuse-desk directory import FILE
CREATE SCHEMA IF NOT EXISTS abuse_desk;

CREATE TABLE IF NOT EXISTS abuse_desk.customers (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  email      text NOT NULL,
  language   text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Names registered with us; a subdomain matches its registered domain.
CREATE TABLE IF NOT EXISTS abuse_desk.domains (
  customer_id text NOT NULL REFERENCES abuse_desk.customers (id) ON DELETE CASCADE,
  domain      text NOT NULL,
  PRIMARY KEY (customer_id, domain)
);

-- IPv4 and IPv6 networks we host (a single address is a /32 or /128).
CREATE TABLE IF NOT EXISTS abuse_desk.networks (
  customer_id text NOT NULL REFERENCES abuse_desk.customers (id) ON DELETE CASCADE,
  network     cidr NOT NULL,
  PRIMARY KEY (customer_id, network)
);

-- Host names we host, exact or "*.example.test".
CREATE TABLE IF NOT EXISTS abuse_desk.hosts (
  customer_id text NOT NULL REFERENCES abuse_desk.customers (id) ON DELETE CASCADE,
  host        text NOT NULL,
  PRIMARY KEY (customer_id, host)
);

-- Accounts on our own platform.
CREATE TABLE IF NOT EXISTS abuse_desk.accounts (
  customer_id text NOT NULL REFERENCES abuse_desk.customers (id) ON DELETE CASCADE,
  handle      text NOT NULL,
  PRIMARY KEY (customer_id, handle)
);
