# shellcheck shell=bash
# The part that scripts/kafka.sh and scripts/postgres.sh share: a local server process that lives
# in a marked folder DIR. `start` picks free ports, claims DIR and waits for the server; `stop`
# finds the server again through its pid file, stops it with a timeout and removes DIR; a watchdog
# runs `stop` once an owner process is gone. Sourced by those scripts, not run.
#
# The sourcing script sets, before it sources this file:
#   SERVER_NAME      kafka or postgres: messages start with "$SERVER_NAME.sh:", DIR is marked
#                    with .smsgw-$SERVER_NAME, a new DIR is $TMPDIR/smsgw-$SERVER_NAME.XXXXXX,
#                    the server logs to DIR/$SERVER_NAME.log
#   SERVER_NOUN      what messages call the server: broker, server
#   PID_FILE         the file in DIR whose first line is the server's pid
#   START_TIMEOUT_S  how long wait_for_start waits
# and defines:
#   server_cmdline_mark DIR  prints a string that the command line of the server of DIR contains
#   stop_server DIR PID      stops the server of DIR, pid PID
#   print_address DIR        prints the KEY=value lines of the server of DIR on stdout

: "${SERVER_NAME:?set by the sourcing script}" "${SERVER_NOUN:?set by the sourcing script}"
: "${PID_FILE:?set by the sourcing script}" "${START_TIMEOUT_S:?set by the sourcing script}"

SCRIPT_NAME=$SERVER_NAME.sh
# Written into every folder the script sets up; `stop` removes only folders that carry it.
MARKER=.smsgw-$SERVER_NAME
# Resolved before `start` and `stop` may change to /, for the watchdog.
SELF=$(cd "$(dirname "$0")" && pwd -P)/$(basename "$0")

say () { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die () { say "error: $*"; exit 1; }

usage () {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Succeeds when something accepts TCP connections on 127.0.0.1:$1.
port_answers () {
  (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

# Prints the first port from $1 upwards that nothing listens on, skipping $2 (if given).
free_port_from () {
  local port=$1
  while [ "$port" = "${2:-}" ] || port_answers "$port"; do
    port=$((port + 1))
    [ "$port" -le 65535 ] || die "no free port from $1 upwards"
  done
  printf '%s\n' "$port"
}

# Prints the port named by the variable $1 (which must be free) when it is set, else the first
# free port from $2 upwards, skipping $3 (if given).
pick_port () {
  local name=$1
  if [ -n "${!name:-}" ]; then
    ! port_answers "${!name}" || die "$name ${!name} is in use"
    printf '%s\n' "${!name}"
  else
    free_port_from "$2" "${3:-}"
  fi
}

# Prints the pid of the server of folder $1 when it runs, else fails.
running_pid () {
  local pid
  pid=$(head -n 1 "$1/$PID_FILE" 2> /dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null || return 1
  # Guard against a recycled pid: the process must be our server.
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$(server_cmdline_mark "$1")" || return 1
  fi
  printf '%s\n' "$pid"
}

# When the server of folder $1 runs, says so and prints its address; else fails.
report_running () {
  local pid
  [ -n "$1" ] && pid=$(running_pid "$1") || return 1
  say "$SERVER_NOUN already running in $1 (pid $pid)"
  print_address "$1"
}

# Prints the physical path of the folder for `start DIR`: $1, made if need be, or a new temp folder
# when $1 is empty. Marks the folder; refuses one that is not empty and not marked.
claim_dir () {
  local dir=$1
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/smsgw-$SERVER_NAME.XXXXXX")
    touch "$dir/$MARKER"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  if [ ! -e "$dir/$MARKER" ]; then
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty and was not made by $SCRIPT_NAME; give a new or empty folder"
    touch "$dir/$MARKER"
  fi
  printf '%s\n' "$dir"
}

# Prints the last lines of the server log of folder $1 on stderr.
log_tail () {
  say "last lines of $1/$SERVER_NAME.log:"
  tail -n 40 "$1/$SERVER_NAME.log" >&2 2> /dev/null || true
}

# Gives up a `start`: the last lines of the log of folder $1 on stderr, the server of pid $2
# stopped (if given), and the error $3, which says where the log is kept.
fail_start () {
  local dir=$1 pid=$2
  log_tail "$dir"
  if [ -n "$pid" ]; then
    stop_server "$dir" "$pid"
  fi
  die "$3 (log kept in $dir)"
}

# Runs the command $4... every $3 seconds until it succeeds, while the server of folder $1, pid
# $2, runs; gives up the start when the server exits or after START_TIMEOUT_S, saying that it did
# not "$what" in time.
wait_for_start () {
  local dir=$1 pid=$2 interval=$3 what=$4 deadline
  shift 4
  deadline=$((SECONDS + START_TIMEOUT_S))
  until "$@"; do
    if ! kill -0 "$pid" 2> /dev/null; then
      fail_start "$dir" '' "the $SERVER_NOUN exited during startup"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail_start "$dir" "$pid" "the $SERVER_NOUN did not $what within ${START_TIMEOUT_S}s"
    fi
    sleep "$interval"
  done
}

# Stops the server of folder $1, pid $2, once the owner process $3 is gone, unless the server
# stopped first.
start_watchdog () {
  local dir=$1 pid=$2 owner=$3
  # shellcheck disable=SC2016 # the inner script reads its own positional parameters
  nohup bash -c '
    while kill -0 "$1" 2> /dev/null && kill -0 "$2" 2> /dev/null; do sleep 1; done
    kill -0 "$2" 2> /dev/null && exec bash "$3" stop "$4"
  ' "$SERVER_NAME-watchdog" "$owner" "$pid" "$SELF" "$dir" < /dev/null > /dev/null 2>&1 &
}

# Checks the folder $1 of `stop DIR`: usage without it, and a refusal when it lacks the marker.
# Fails (after saying so) when there is no such folder, so nothing to stop.
check_stop_dir () {
  local dir=$1
  [ -n "$dir" ] || usage
  if [ ! -d "$dir" ]; then
    say "$dir does not exist, nothing to stop"
    return 1
  fi
  [ -e "$dir/$MARKER" ] || die "$dir was not made by $SCRIPT_NAME; not touching it"
}

# Stops the server of folder $1 if it runs, then removes the folder.
stop_and_remove () {
  local dir=$1 pid
  if pid=$(running_pid "$dir"); then
    say "stopping $SERVER_NOUN $pid"
    stop_server "$dir" "$pid"
  fi
  rm -rf "$dir"
  say "removed $dir"
}
