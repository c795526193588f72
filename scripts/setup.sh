#!/usr/bin/env bash
# Installs everything smsgw needs on a fresh Debian machine: system packages, the npm packages
# (with the pinned Node 24), and the Apache Kafka broker and PostgreSQL server used in development
# and tests.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

say () { printf 'setup: %s\n' "$*" >&2; }

missing=()
command -v javac > /dev/null || missing+=(default-jdk-headless)
command -v mvn > /dev/null || missing+=(maven)
command -v kcat > /dev/null || missing+=(kcat)
command -v openssl > /dev/null || missing+=(openssl)
command -v chromium > /dev/null || missing+=(chromium)
# systemd-analyze verifies deploy/systemd/smsgw.service (test/deploy/systemd-unit.test.ts).
command -v systemd-analyze > /dev/null || missing+=(systemd)
# sqlite3 takes the backup docs/deployment.md describes (test/deploy/systemd-unit.test.ts).
command -v sqlite3 > /dev/null || missing+=(sqlite3)
# The server binaries (initdb, postgres) are off PATH on Debian; scripts/postgres.sh looks there.
compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=''
  [ "$(id -u)" -eq 0 ] || sudo='sudo'
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
fi

say 'installing npm packages (and Node 24 through the node package)'
npm ci --no-audit --no-fund --loglevel=error

say 'fetching the Kafka broker from Maven Central (cached after the first time)'
scripts/kafka.sh install
bash test/interop/jsmpp/fetch.sh > /dev/null # jsmpp, the SMSC of the SMPP interop tests (Maven Central, cached)

say "ready: Node $(node_modules/.bin/node --version), $(java -version 2>&1 | head -n 1)"
