#!/usr/bin/env bash
# A throw-away Apache Kafka broker for development and tests: one KRaft node (broker and
# controller in one JVM) on 127.0.0.1, its data in a folder that `stop` removes.
#
#   scripts/kafka.sh install       fetch the broker's jars from Maven Central (once, cached)
#   scripts/kafka.sh start [DIR]   format DIR (default: a new temp folder) and start the broker;
#                                  prints KAFKA_BROKERS=127.0.0.1:<port> and KAFKA_DIR=<dir>
#   scripts/kafka.sh stop DIR      stop the broker of DIR and remove DIR
#
# stdout carries only the KEY=value lines, so `eval "$(scripts/kafka.sh start)"` works; progress
# goes to stderr. See docs/kafka-dev.md.
#
# Environment:
#   KAFKA_VERSION          default 4.3.1 (newest 4.x that resolves completely from Maven Central;
#                          kafka_2.13:4.4.0 is there but its kafka-tools-api dependency is not)
#   SMSGW_KAFKA_HOME       cache folder, default ~/.cache/smsgw/kafka-$KAFKA_VERSION (jars in libs/)
#   KAFKA_PORT             client port; if unset, 9092 or the next free one; if set, it must be free
#   KAFKA_CONTROLLER_PORT  KRaft controller port; if unset, the next free one after the client port
#   KAFKA_HEAP             JVM heap limit, default 512m
#   KAFKA_START_TIMEOUT_S  how long `start` waits for the broker, default 90
#   KAFKA_STOP_TIMEOUT_S   how long `stop` waits after SIGTERM before SIGKILL, default 20
#   KAFKA_OWNER_PID        if set, a watchdog stops the broker and removes DIR once this process
#                          is gone (so a killed test run leaves no broker behind)
set -euo pipefail

KAFKA_VERSION=${KAFKA_VERSION:-4.3.1}
# log4j-slf4j-impl binds Kafka's slf4j 1.7 logging to the log4j2 core that kafka-server already
# brings; as a direct dependency it also pins log4j-api/core to this version (nearest wins).
LOG4J_VERSION=2.25.4
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
KAFKA_HOME=${SMSGW_KAFKA_HOME:-$HOME/.cache/smsgw/kafka-$KAFKA_VERSION}
KAFKA_HEAP=${KAFKA_HEAP:-512m}
START_TIMEOUT_S=${KAFKA_START_TIMEOUT_S:-90}
STOP_TIMEOUT_S=${KAFKA_STOP_TIMEOUT_S:-20}
# What start and stop share with the other throw-away server (free ports, the marked DIR, the pid
# file, the watchdog) is in scripts/lib/throwaway-server.sh. DIR is marked with .smsgw-kafka, the
# broker logs to DIR/kafka.log and its pid is in DIR/kafka.pid.
SERVER_NAME=kafka
SERVER_NOUN=broker
PID_FILE=kafka.pid
# shellcheck source-path=SCRIPTDIR source=lib/throwaway-server.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/throwaway-server.sh"

# For running_pid: the broker's main class.
server_cmdline_mark () { printf '%s\n' 'kafka.Kafka'; }

java_bin () {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  else
    command -v java || die 'java not found: Kafka 4 needs Java 17 or newer'
  fi
}

check_java () {
  local java version major
  java=$(java_bin)
  version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  major=${version#1.}
  major=${major%%.*}
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    die "Kafka $KAFKA_VERSION needs Java 17 or newer, $java is ${version:-unknown}"
  fi
}

installed () { [ -f "$KAFKA_HOME/libs/.complete" ]; }

cmd_install () {
  if installed; then
    say "Kafka $KAFKA_VERSION already in $KAFKA_HOME/libs"
    return
  fi
  command -v mvn > /dev/null || die 'mvn not found: it fetches the broker from Maven Central'
  mkdir -p "$KAFKA_HOME"
  # A libs folder without the completion mark is left from a copy made by hand; replace it.
  rm -rf "$KAFKA_HOME/libs"
  local work
  work=$(mktemp -d "$KAFKA_HOME/.install.XXXXXX")
  # shellcheck disable=SC2064 # expand now: $work is local
  trap "rm -rf '$work'" EXIT
  cat > "$work/pom.xml" << EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>smsgw.dev</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <!-- kafka.Kafka and kafka.tools.StorageTool live in the core (Scala) jar; it pulls in
         kafka-server, raft, metadata, storage and the coordinators at runtime scope. -->
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  say "fetching Kafka $KAFKA_VERSION (org.apache.kafka:kafka_2.13 and runtime dependencies) with mvn"
  mvn -B -q -Dstyle.color=never -f "$work/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$work/libs" >&2 \
    || die "mvn could not fetch Kafka $KAFKA_VERSION"
  touch "$work/libs/.complete"
  # Move into place in one step so that a concurrent or interrupted install never leaves half a
  # libs folder; if another install won the race, keep its copy.
  if ! mv -T "$work/libs" "$KAFKA_HOME/libs" 2> /dev/null && ! installed; then
    die "could not move the jars into $KAFKA_HOME/libs"
  fi
  say "installed $(find "$KAFKA_HOME/libs" -name '*.jar' | wc -l) jars in $KAFKA_HOME/libs"
}

write_config () {
  local dir=$1 port=$2 controller_port=$3
  cat > "$dir/server.properties" << EOF
# Written by scripts/kafka.sh: one KRaft node for development and tests, 127.0.0.1 only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data

# Tests create their topics explicitly, with the partitions and configs they need.
auto.create.topics.enable=false
num.partitions=3
default.replication.factor=1
min.insync.replicas=1

# One broker: every internal topic has one replica. Fewer partitions than the defaults (50)
# make the first group join and the first transaction quicker.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Consumer groups form at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0

# The log cleaner allocates its dedupe buffer up front (128 MiB by default); a test needs little.
log.cleaner.dedupe.buffer.size=16777216
EOF
  # Quiet by default: warnings and errors, plus the one line that says the broker is up.
  cat > "$dir/log4j2.properties" << EOF
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = info
EOF
}

# Formats the storage of folder $1 with a fresh cluster id.
format_storage () {
  local dir=$1 java cluster_id
  java=$(java_bin)
  # A Kafka Uuid is 16 random bytes in unpadded base64url; Kafka itself never hands out one that
  # starts with '-', as it would read as a command-line flag.
  cluster_id=-
  while [ "${cluster_id:0:1}" = - ]; do
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  done
  # A short-lived tool: the C1 compiler and the serial collector start it faster.
  "$java" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$KAFKA_HOME/libs/*" \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$dir/server.properties" \
    --ignore-formatted > "$dir/format.log" 2>&1 \
    || { tail -n 20 "$dir/format.log" >&2; die "formatting the storage in $dir failed"; }
}

print_address () {
  printf 'KAFKA_BROKERS=127.0.0.1:%s\n' "$(cat "$1/port")"
  printf 'KAFKA_DIR=%s\n' "$1"
}

# Succeeds once the broker of folder $1 serves requests on port $2.
broker_started () {
  # The listener accepts TCP connections before the broker serves requests, so wait for the
  # log line that KafkaRaftServer writes once startup has completed, and for the port.
  grep -q 'Kafka Server started' "$1/kafka.log" 2> /dev/null && port_answers "$2"
}

cmd_start () {
  local dir=${1:-} port controller_port pid java started=$SECONDS
  if report_running "$dir"; then
    return
  fi

  installed || cmd_install
  check_java

  port=$(pick_port KAFKA_PORT 9092)
  controller_port=$(pick_port KAFKA_CONTROLLER_PORT $((port + 1)) "$port")

  dir=$(claim_dir "$dir")

  say "starting Kafka $KAFKA_VERSION on 127.0.0.1:$port (controller $controller_port) in $dir"
  rm -rf "$dir/data"
  write_config "$dir" "$port" "$controller_port"
  printf '%s\n' "$port" > "$dir/port"
  format_storage "$dir"

  java=$(java_bin)
  # stdin, stdout and stderr all leave the caller's pipes, so that a caller reading our output
  # (execFile, $(...)) sees it end when this script exits, not when the broker does.
  nohup "$java" -Xmx"$KAFKA_HEAP" -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$dir/server.properties" \
    < /dev/null > "$dir/kafka.log" 2>&1 &
  pid=$!
  printf '%s\n' "$pid" > "$dir/$PID_FILE"

  wait_for_start "$dir" "$pid" 0.2 start broker_started "$dir" "$port"

  if [ -n "${KAFKA_OWNER_PID:-}" ]; then
    start_watchdog "$dir" "$pid" "$KAFKA_OWNER_PID"
  fi
  say "started (pid $pid) in $((SECONDS - started))s"
  print_address "$dir"
}

# SIGTERM to the broker of folder $1, pid $2 (Kafka shuts down cleanly), then SIGKILL after
# STOP_TIMEOUT_S.
stop_server () {
  local pid=$2 deadline
  kill -TERM "$pid" 2> /dev/null || return 0
  deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2> /dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "broker $pid still running after ${STOP_TIMEOUT_S}s, killing it"
      kill -KILL "$pid" 2> /dev/null || true
      break
    fi
    sleep 0.2
  done
}

cmd_stop () {
  local dir=${1:-}
  check_stop_dir "$dir" || return 0
  stop_and_remove "$dir"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  *) usage ;;
esac
