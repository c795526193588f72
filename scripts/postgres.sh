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
# Written into every folder this script sets up; `stop` removes only folders that carry it.
MARKER=.smsgw-postgres
# Resolved before `start` and `stop` change to /, for the watchdog.
SELF=$(cd "$(dirname "$0")" && pwd -P)/$(basename "$0")

# libpq reads PGHOST, PGPORT, PGSSLMODE, PGOPTIONS and friends; a developer's settings for another
# server must not reach our clients (pg_isready, createdb) or the server. Our own variables are
# PG_*, which this pattern leaves alone.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^PG[A-Z]' || true)

say () { printf 'postgres.sh: %s\n' "$*" >&2; }
die () { say "error: $*"; exit 1; }

usage () {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

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

# Succeeds when something accepts TCP connections on 127.0.0.1:$1.
port_answers () {
  (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

# Prints the first port from $1 upwards that nothing listens on.
free_port_from () {
  local port=$1
  while port_answers "$port"; do
    port=$((port + 1))
    [ "$port" -le 65535 ] || die "no free port from $1 upwards"
  done
  printf '%s\n' "$port"
}

# Prints the pid of the server of folder $1 when it runs, else fails.
running_pid () {
  local pid
  pid=$(head -n 1 "$1/data/postmaster.pid" 2> /dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null || return 1
  # Guard against a recycled pid: the process must be the server of this folder.
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "-D $1/data " || return 1
  fi
  printf '%s\n' "$pid"
}

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

# Prints the last lines of the server log of folder $1 on stderr.
log_tail () {
  say "last lines of $1/postgres.log:"
  tail -n 40 "$1/postgres.log" >&2 2> /dev/null || true
}

cmd_start () {
  local dir=${1:-} port pid socket deadline started=$SECONDS
  [ -z "$dir" ] || [ ! -d "$dir" ] || dir=$(cd "$dir" && pwd -P)
  if [ -n "$dir" ] && pid=$(running_pid "$dir"); then
    say "server already running in $dir (pid $pid)"
    print_address "$dir"
    return
  fi

  PG_BIN=$(pg_bin)

  if [ -n "${PG_PORT:-}" ]; then
    port=$PG_PORT
    ! port_answers "$port" || die "PG_PORT $port is in use"
  else
    port=$(free_port_from 5432)
  fi

  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-postgres.XXXXXX")
    touch "$dir/$MARKER"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  if [ ! -e "$dir/$MARKER" ]; then
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty and was not made by postgres.sh; give a new or empty folder"
    touch "$dir/$MARKER"
  fi
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

  deadline=$((SECONDS + START_TIMEOUT_S))
  until "$PG_BIN/pg_isready" -q -t 2 -h 127.0.0.1 -p "$port" -U smsgw -d postgres; do
    if ! kill -0 "$pid" 2> /dev/null; then
      log_tail "$dir"
      die "the server exited during startup (log kept in $dir)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail "$dir"
      stop_server "$dir" "$pid"
      die "the server did not accept connections within ${START_TIMEOUT_S}s (log kept in $dir)"
    fi
    sleep 0.1
  done
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U smsgw smsgw >&2 || {
    log_tail "$dir"
    stop_server "$dir" "$pid"
    die "could not create the database smsgw (log kept in $dir)"
  }

  if [ -n "${PG_OWNER_PID:-}" ]; then
    start_watchdog "$dir" "$pid" "$PG_OWNER_PID"
  fi
  say "started (pid $pid) in $((SECONDS - started))s"
  print_address "$dir"
}

# Stops the server once the owner process is gone, unless the server stopped first.
start_watchdog () {
  local dir=$1 pid=$2 owner=$3
  # shellcheck disable=SC2016 # the inner script reads its own positional parameters
  nohup bash -c '
    while kill -0 "$1" 2> /dev/null && kill -0 "$2" 2> /dev/null; do sleep 1; done
    kill -0 "$2" 2> /dev/null && exec bash "$3" stop "$4"
  ' postgres-watchdog "$owner" "$pid" "$SELF" "$dir" < /dev/null > /dev/null 2>&1 &
}

# A fast shutdown (open sessions are ended, then a checkpoint) through pg_ctl, which waits until
# the server is gone; SIGKILL when that fails or takes longer than STOP_TIMEOUT_S.
stop_server () {
  local dir=$1 pid=$2
  # Early in its startup, the server has no postmaster.pid yet, which pg_ctl needs.
  if [ -e "$dir/data/postmaster.pid" ]; then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" stop -D "$dir/data" -m fast -t "$STOP_TIMEOUT_S" -s >&2 && return
    say "pg_ctl did not stop server $pid within ${STOP_TIMEOUT_S}s"
  fi
  say "killing server $pid"
  kill -KILL "$pid" 2> /dev/null || true
}

cmd_stop () {
  local dir=${1:-} pid
  [ -n "$dir" ] || usage
  if [ ! -d "$dir" ]; then
    say "$dir does not exist, nothing to stop"
    return
  fi
  [ -e "$dir/$MARKER" ] || die "$dir was not made by postgres.sh; not touching it"
  dir=$(cd "$dir" && pwd -P)
  cd /
  if pid=$(running_pid "$dir"); then
    say "stopping server $pid"
    PG_BIN=$(pg_bin)
    stop_server "$dir" "$pid"
  fi
  rm -rf "$dir"
  say "removed $dir"
}

case "${1:-}" in
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  *) usage ;;
esac
