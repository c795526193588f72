#!/usr/bin/env bash
# Fetches jsmpp (org.jsmpp:jsmpp, an SMPP library we did not write) and its runtime dependencies
# from Maven Central into a cache folder, for the interop SMSC in test/interop/jsmpp/JsmppSmsc.java.
# Idempotent: once the jars are there it only checks, in milliseconds.
#
#   test/interop/jsmpp/fetch.sh    prints JSMPP_LIBS=<folder with the jars> on stdout;
#                                  progress goes to stderr
#
# Run the SMSC with the JDK's single-file source launcher (it needs the jdk.compiler module, so a
# JDK, not only a JRE; this script installs Debian's default-jdk-headless when it is missing):
#   java -cp "$JSMPP_LIBS/*" test/interop/jsmpp/JsmppSmsc.java --port 0 --system-id X --password Y
#
# Environment:
#   JSMPP_VERSION      default 3.0.2 (the newest on Maven Central)
#   SMSGW_JSMPP_HOME   cache folder, default ~/.cache/smsgw/jsmpp-$JSMPP_VERSION (jars in libs/)
set -euo pipefail

JSMPP_VERSION=${JSMPP_VERSION:-3.0.2}
# jsmpp 3.0.x logs through slf4j-api 1.7.36; the simple binding of the same version writes its
# warnings to stderr (without a binding slf4j prints a warning of its own and drops them).
SLF4J_VERSION=1.7.36
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
JSMPP_HOME=${SMSGW_JSMPP_HOME:-$HOME/.cache/smsgw/jsmpp-$JSMPP_VERSION}
LIBS=$JSMPP_HOME/libs

say () { printf 'jsmpp fetch: %s\n' "$*" >&2; }
die () { say "error: $*"; exit 1; }

installed () { [ -f "$LIBS/.complete" ]; }

# The single-file source launcher compiles in memory with jdk.compiler, which a JRE lacks.
ensure_jdk () {
  if command -v java > /dev/null && java --list-modules 2> /dev/null | grep -q '^jdk\.compiler@'; then
    return
  fi
  command -v apt-get > /dev/null || die 'java with the jdk.compiler module (a JDK 17+) is needed to run JsmppSmsc.java'
  local sudo=''
  [ "$(id -u)" -eq 0 ] || sudo='sudo'
  say 'installing default-jdk-headless (JsmppSmsc.java runs with the source launcher)'
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq default-jdk-headless > /dev/null
}

fetch () {
  command -v mvn > /dev/null || die 'mvn not found: it fetches jsmpp from Maven Central'
  mkdir -p "$JSMPP_HOME"
  # A libs folder without the completion mark is left from an interrupted copy; replace it.
  rm -rf "$LIBS"
  local work
  work=$(mktemp -d "$JSMPP_HOME/.fetch.XXXXXX")
  # shellcheck disable=SC2064 # expand now: $work is local
  trap "rm -rf '$work'" EXIT
  cat > "$work/pom.xml" << POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>smsgw.dev</groupId>
  <artifactId>jsmpp-interop</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.jsmpp</groupId>
      <artifactId>jsmpp</artifactId>
      <version>$JSMPP_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>$SLF4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
  say "fetching org.jsmpp:jsmpp:$JSMPP_VERSION and its runtime dependencies with mvn"
  # mvn's output is shown only when it fails: -q still prints colour resets on a TTY.
  if ! mvn -B -q -Dstyle.color=never -f "$work/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$work/libs" > "$work/mvn.log" 2>&1; then
    cat "$work/mvn.log" >&2
    die "mvn could not fetch jsmpp $JSMPP_VERSION"
  fi
  touch "$work/libs/.complete"
  # One rename, so that a concurrent or interrupted fetch never leaves half a libs folder; if
  # another fetch won the race, keep its copy.
  if ! mv -T "$work/libs" "$LIBS" 2> /dev/null && ! installed; then
    die "could not move the jars into $LIBS"
  fi
  say "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars into $LIBS"
}

ensure_jdk
installed || fetch
printf 'JSMPP_LIBS=%s\n' "$LIBS"
