#!/usr/bin/env bash
# Batch processing times around a worker kill (cluster mode, 3 local workers, 1 s batches):
# bench/fault-recovery.sh [events_per_second] [batches_before_kill] [batches_after_kill]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f sql-tests/target/test-classpath.txt ] || [ ! -d sql-tests/target/test-classes ]; then
  mvn -q -B install -DskipTests
  mvn -q -B -pl sql-tests test-compile
fi
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "sql-tests/target/test-classes:$(cat sql-tests/target/test-classpath.txt)" \
  io.dstream.sqltests.bench.FaultRecoveryBenchmark "$@"
