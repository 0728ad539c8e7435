#!/usr/bin/env bash
# Makes sure PostgreSQL answers at ABUSE_DESK_TEST_PG_URL (default
# postgres://postgres:postgres@127.0.0.1:5432/test) for the directory tests:
# starts the local cluster if it is stopped, installs it if missing (root),
# and creates the test database, the abuse_desk database (the case store of
# config/default.yaml and the demo) and the password if needed. Safe to run again.
set -euo pipefail
url="${ABUSE_DESK_TEST_PG_URL:-postgres://postgres:postgres@127.0.0.1:5432/test}"
ok() { command -v psql >/dev/null && psql "$url" -Atqc 'select 1' >/dev/null 2>&1; }
# The case store's database beside the test one (same server and credentials).
ensure_db() { psql "$url" -Atqc "select 1 from pg_database where datname = 'abuse_desk'" | grep -q 1 || psql "$url" -qc 'create database abuse_desk' >/dev/null; }
ok && { ensure_db; exit 0; }

if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || { echo "ensure-postgres: PostgreSQL is missing; install it (apt-get install postgresql) or set ABUSE_DESK_TEST_PG_URL" >&2; exit 1; }
  echo "ensure-postgres: installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
for version in $(ls /etc/postgresql); do
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
done
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
if [ "$(id -u)" -eq 0 ] && ! ok; then
  su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  su postgres -c "createdb test" 2>/dev/null || true
fi
ok || { echo "ensure-postgres: cannot connect to $url" >&2; exit 1; }
ensure_db
