# Shared by bin/ferry, bin/test and bin/bench: find a JDK >= 21 and keep the build current.
# shellcheck shell=bash

FERRY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The JVM options ferry runs with unless FERRY_JAVA_OPTS is set (see bin/ferry).
FERRY_DEFAULT_JAVA_OPTS="-XX:+UseSerialGC -Xmn80m -XX:SurvivorRatio=2"

# The Java version of the java binary $1: from its JDK's release file when there is one (no JVM to start), else
# from the JVM itself.
java_major() {
  local release
  release=$(dirname "$(dirname "$1")")/release
  if [ -f "$release" ] && grep -q '^JAVA_VERSION="' "$release"; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*/\1/p' "$release" | head -1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}

# Sets JAVA_HOME to a JDK >= 21: $JAVA_HOME, then java on PATH, then /usr/lib/jvm/*.
find_jdk() {
  local candidates=() home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for home in /usr/lib/jvm/*; do [ -d "$home" ] && candidates+=("$home"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(java_major "$home/bin/java")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$home"
      export PATH="$JAVA_HOME/bin:$PATH"
      if [ "${major%%.*}" -ge 24 ]; then
        # Maven's own libraries still use sun.misc.Unsafe; keep JDK 24+ from warning about it on every build.
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      fi
      return 0
    fi
  done
  cat >&2 <<MSG
ferry needs a JDK 21 or newer and found none (looked at JAVA_HOME, PATH and /usr/lib/jvm/*).
Install one, for example:
  sudo apt-get install -y openjdk-21-jdk-headless      (Debian 13 / Ubuntu 24.04)
  or a Temurin 21+ build from https://adoptium.net, then export JAVA_HOME=/path/to/jdk
MSG
  return 1
}

# True when the CLI's module path is missing or older than any source or build file.
build_is_stale() {
  local stamp="$FERRY_ROOT/ferry-cli/target/lib/.built"
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$FERRY_ROOT" -path "$FERRY_ROOT/.git" -prune -o \( -name target -prune \) -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f -newer "$stamp" -print -quit)" ]
}

build_cli() {
  echo "ferry: building (first run, or sources changed) ..." >&2
  (cd "$FERRY_ROOT" && ./mvnw -B -q -DskipTests package >&2) || { echo "ferry: build failed" >&2; return 1; }
  touch "$FERRY_ROOT/ferry-cli/target/lib/.built"
}

cli_module_path() {
  local jar
  jar=$(ls "$FERRY_ROOT"/ferry-cli/target/ferry-cli-*.jar 2>/dev/null | grep -v -- '-tests\.jar$' | head -1)
  echo "$jar:$FERRY_ROOT/ferry-cli/target/lib"
}

# The Sakila dataset the tests load lives in the project's shared/datasets/sakila, beside the repository. A clone
# made elsewhere (git clone /path/to/repo /tmp/x) finds it beside the repository it was cloned from.
find_sakila() {
  [ -n "${FERRY_SAKILA_DIR:-}" ] && return 0
  local dir=$FERRY_ROOT
  while [ "$dir" != / ]; do
    [ -f "$dir/shared/datasets/sakila/sakila-schema.sql" ] && return 0 # the tests find it themselves
    dir=$(dirname "$dir")
  done
  local origin
  origin=$(git -C "$FERRY_ROOT" config --get remote.origin.url 2>/dev/null || true)
  [ -d "$origin" ] || return 0
  dir=$(cd "$origin" && pwd)
  while [ "$dir" != / ]; do
    if [ -f "$dir/shared/datasets/sakila/sakila-schema.sql" ]; then
      export FERRY_SAKILA_DIR="$dir/shared/datasets/sakila"
      return 0
    fi
    dir=$(dirname "$dir")
  done
}
