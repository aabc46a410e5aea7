#!/usr/bin/env bash
# Runs a benchmark main class of sql-tests' test sources: bench/run-java.sh CLASS [args...]
# (builds what is missing first); DSTREAM_JAVA_OPTS adds JVM options. The other scripts here are
# named entry points to it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f sql-tests/target/test-classpath.txt ] || [ ! -d sql-tests/target/test-classes ]; then
  mvn -q -B install -DskipTests
  mvn -q -B -pl sql-tests test-compile
fi
class="$1"
shift
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx8g ${DSTREAM_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "sql-tests/target/test-classes:$(cat sql-tests/target/test-classpath.txt)" \
  "io.dstream.sqltests.bench.$class" "$@"
