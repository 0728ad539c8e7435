#!/usr/bin/env bash
# Makes sure a Redis answers at 127.0.0.1:${REDIS_PORT:-6379}; starts a local,
# memory-only one (noeviction, as abuse-desk requires) if none does.
set -euo pipefail
port="${REDIS_PORT:-6379}"
if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then exit 0; fi
echo "ensure-redis: starting redis-server on 127.0.0.1:$port"
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
  --maxmemory-policy noeviction --logfile "${TMPDIR:-/tmp}/abuse-desk-redis-$port.log"
for _ in $(seq 1 50); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "ensure-redis: Redis did not start on port $port" >&2
exit 1
