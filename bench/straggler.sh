#!/usr/bin/env bash
# Batch processing times with one straggling worker, speculation on and off (cluster mode):
# bench/straggler.sh [events_per_second] [task_delay_ms] [batches]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f sql-tests/target/test-classpath.txt ] || [ ! -d sql-tests/target/test-classes ]; then
  mvn -q -B install -DskipTests
  mvn -q -B -pl sql-tests test-compile
fi
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "sql-tests/target/test-classes:$(cat sql-tests/target/test-classpath.txt)" \
  io.dstream.sqltests.bench.StragglerBenchmark "$@"
