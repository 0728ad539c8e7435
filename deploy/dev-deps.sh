#!/usr/bin/env bash
# Installs what abuse-desk's demo and tests need on a Debian machine, and only
# what is missing: Dovecot (IMAP, started privately by the tests and the demo,
# never as a system service here), Redis, Chromium with a font (the case
# board's browser test drives it through playwright-core), and Prometheus
# (its promtool tests the alert rules; a private server checks the scrape
# config). Safe to run again.
set -euo pipefail

need=()
command -v node >/dev/null || { echo "dev-deps: Node.js 20 or newer is required" >&2; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || { echo "dev-deps: Node.js 20 or newer is required (found $(node --version))" >&2; exit 1; }
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# Prometheus and promtool: the alert rules are tested against them (never run as a service here).
command -v promtool >/dev/null || need+=(prometheus)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "dev-deps: missing ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "dev-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the package from starting a system-wide Dovecot on port 143.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.abuse-desk
  chmod +x /usr/sbin/policy-rc.d.abuse-desk
  had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  [ $had_policy -eq 1 ] || cp /usr/sbin/policy-rc.d.abuse-desk /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ $had_policy -eq 1 ] || rm -f /usr/sbin/policy-rc.d
  rm -f /usr/sbin/policy-rc.d.abuse-desk
fi
echo "dev-deps: dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1), $(redis-server --version | cut -d' ' -f3), $(/usr/bin/chromium --version 2>/dev/null | cut -d' ' -f1-2), $(promtool --version 2>&1 | head -1 | cut -d' ' -f1-3)"
