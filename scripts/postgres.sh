#!/usr/bin/env bash
# A throw-away PostgreSQL server for development and tests: one cluster listening on 127.0.0.1
# only (its Unix socket in DIR), its data in a folder that `stop` removes.
#
#   scripts/postgres.sh start [DIR]   initdb DIR/data (DIR default: a new temp folder), start the
#                                     server and create the database smsgw; prints
#                                     PG_URL=postgres://smsgw@127.0.0.1:<port>/smsgw and PG_DIR=<dir>
#   scripts/postgres.sh stop DIR      stop the server of DIR and remove DIR
#
# stdout carries only the KEY=value lines, so `eval "$(scripts/postgres.sh start)"` works; progress
# goes to stderr. See docs/postgres-dev.md.
#
# PostgreSQL refuses to run as root: as root, the server (and initdb, pg_ctl) run as the system
# user postgres, which the Debian package creates, and DIR is handed to that user.
#
# Environment:
#   PG_BIN              folder of initdb, postgres and pg_ctl; default the newest
#                       /usr/lib/postgresql/*/bin (Debian), else the folder of `initdb` on PATH
#   PG_PORT             TCP port; if unset, 5432 or the next free one; if set, it must be free
#   PG_START_TIMEOUT_S  how long `start` waits for the server to accept connections, default 30
#   PG_STOP_TIMEOUT_S   how long `stop` waits for a fast shutdown before SIGKILL, default 20
#   PG_OWNER_PID        if set, a watchdog stops the server and removes DIR once this process
#                       is gone (so a killed test run leaves no server behind)
set -euo pipefail

START_TIMEOUT_S=${PG_START_TIMEOUT_S:-30}
STOP_TIMEOUT_S=${PG_STOP_TIMEOUT_S:-20}
# What start and stop share with the other throw-away server (free ports, the marked DIR, the pid
# file, the watchdog) is in scripts/lib/throwaway-server.sh. DIR is marked with .smsgw-postgres and
# the server logs to DIR/postgres.log.
SERVER_NAME=postgres
SERVER_NOUN=server
PID_FILE=data/postmaster.pid
# shellcheck source-path=SCRIPTDIR source=lib/throwaway-server.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/throwaway-server.sh"

# libpq reads PGHOST, PGPORT, PGSSLMODE, PGOPTIONS and friends; a developer's settings for another
# server must not reach our clients (pg_isready, createdb) or the server. Our own variables are
# PG_*, which this pattern leaves alone.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^PG[A-Z]' || true)

# The folder of the server binaries: PG_BIN, the newest Debian version, or initdb's on PATH.
pg_bin () {
  local initdb
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/initdb" ] || die "PG_BIN=$PG_BIN has no initdb"
    printf '%s\n' "$PG_BIN"
    return
  fi
  initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  [ -x "$initdb" ] || initdb=$(command -v initdb) ||
    die 'initdb not found: install the PostgreSQL server with "bash scripts/setup.sh" or' \
      '"apt-get install postgresql" (or set PG_BIN to the folder of initdb and postgres)'
  dirname "$initdb"
}

# As root, the command prefix that runs a program as the user postgres. setpriv execs the program
# (runuser would stay behind as its parent and end it when it gets a signal), so $! of a
# backgrounded server is the server's pid.
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
  AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

# For running_pid: the process must be the server of this folder (given by its physical path).
server_cmdline_mark () { printf '%s\n' "-D $1/data "; }

# Hands folder $1 to the user postgres when we are root, and checks that it can get there.
give_to_server_user () {
  local dir=$1
  [ ${#AS_PG[@]} -gt 0 ] || return 0
  getent passwd postgres > /dev/null ||
    die 'running as root, but there is no user postgres to run the server as (the Debian package postgresql creates it)'
  # mktemp -d makes folders of mode 700, closed to the server; the server writes its socket and
  # socket lock file into DIR itself, so it owns DIR.
  chown postgres:postgres "$dir"
  "${AS_PG[@]}" test -w "$dir" -a -x "$dir" ||
    die "the user postgres cannot get into $dir (a folder above it is closed to others?); give a folder under /tmp"
}

# Creates the cluster in folder $1/data.
init_cluster () {
  local dir=$1
  rm -rf "$dir/data"
  mkdir -m 700 "$dir/data"
  [ ${#AS_PG[@]} -eq 0 ] || chown postgres:postgres "$dir/data"
  # trust: anyone who reaches 127.0.0.1 or the socket gets in as any role, without a password.
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$dir/data" --auth=trust -U smsgw --encoding=UTF8 --locale=C \
    > "$dir/initdb.log" 2>&1 \
    || { tail -n 20 "$dir/initdb.log" >&2; die "initdb in $dir/data failed"; }
  # Later settings win over initdb's. Address, port and socket folder go on the command line.
  cat >> "$dir/data/postgresql.conf" << EOF

# Added by scripts/postgres.sh: a small server for development and tests.
max_connections = 100
shared_buffers = 32MB
# fsync, synchronous_commit and full_page_writes keep their defaults (on): tests get the
# durability of a real server.
timezone = 'UTC'
log_timezone = 'UTC'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

print_address () {
  printf 'PG_URL=postgres://smsgw@127.0.0.1:%s/smsgw\n' "$(cat "$1/port")"
  printf 'PG_DIR=%s\n' "$1"
}

# Succeeds once the server on port $1 accepts connections.
server_ready () {
  "$PG_BIN/pg_isready" -q -t 2 -h 127.0.0.1 -p "$1" -U smsgw -d postgres
}

cmd_start () {
  local dir=${1:-} port pid socket started=$SECONDS
  [ -z "$dir" ] || [ ! -d "$dir" ] || dir=$(cd "$dir" && pwd -P)
  if report_running "$dir"; then
    return
  fi

  PG_BIN=$(pg_bin)

  port=$(pick_port PG_PORT 5432)

  dir=$(claim_dir "$dir")
  # The server runs from here on, also as the user postgres, which may not get into our folder.
  cd /
  # sun_path holds 107 bytes; the server would refuse a longer socket path only once started.
  socket=$dir/.s.PGSQL.$port
  [ ${#socket} -le 107 ] || die "the socket path $socket is longer than 107 bytes; give a shorter DIR"
  give_to_server_user "$dir"

  say "starting PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$port in $dir"
  printf '%s\n' "$port" > "$dir/port"
  init_cluster "$dir"

  # stdin, stdout and stderr all leave the caller's pipes, so that a caller reading our output
  # (execFile, $(...)) sees it end when this script exits, not when the server does. No nohup:
  # the server handles SIGHUP itself (it rereads its configuration).
  "${AS_PG[@]}" "$PG_BIN/postgres" -D "$dir/data" -h 127.0.0.1 -p "$port" -k "$dir" \
    < /dev/null > "$dir/postgres.log" 2>&1 &
  pid=$!

  wait_for_start "$dir" "$pid" 0.1 'accept connections' server_ready "$port"
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U smsgw smsgw >&2 ||
    fail_start "$dir" "$pid" 'could not create the database smsgw'

  if [ -n "${PG_OWNER_PID:-}" ]; then
    start_watchdog "$dir" "$pid" "$PG_OWNER_PID"
  fi
  say "started (pid $pid) in $((SECONDS - started))s"
  print_address "$dir"
}

# A fast shutdown (open sessions are ended, then a checkpoint) through pg_ctl, which waits until
# the server is gone; SIGKILL when that fails or takes longer than STOP_TIMEOUT_S.
stop_server () {
  local dir=$1 pid=$2
  # `stop` comes here without PG_BIN resolved.
  PG_BIN=$(pg_bin)
  # Early in its startup, the server has no postmaster.pid yet, which pg_ctl needs.
  if [ -e "$dir/data/postmaster.pid" ]; then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" stop -D "$dir/data" -m fast -t "$STOP_TIMEOUT_S" -s >&2 && return
    say "pg_ctl did not stop server $pid within ${STOP_TIMEOUT_S}s"
  fi
  say "killing server $pid"
  kill -KILL "$pid" 2> /dev/null || true
}

cmd_stop () {
  local dir=${1:-}
  check_stop_dir "$dir" || return 0
  # running_pid knows the server by the physical path; the user postgres runs pg_ctl from /.
  dir=$(cd "$dir" && pwd -P)
  cd /
  stop_and_remove "$dir"
}

case "${1:-}" in
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  *) usage ;;
esac
