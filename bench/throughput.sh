#!/usr/bin/env bash
# Events/s of the QUERIES.md queries over a bid csv file: bench/throughput.sh FILE [runs] [query]
# Generate the file with: python3 ../shared/bench/gen_bids.py 2000000 bench-data/bids-2m.csv
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f sql-tests/target/test-classpath.txt ] || [ ! -d sql-tests/target/test-classes ]; then
  mvn -q -B install -DskipTests
  mvn -q -B -pl sql-tests test-compile
fi
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx8g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "sql-tests/target/test-classes:$(cat sql-tests/target/test-classpath.txt)" \
  io.dstream.sqltests.bench.ThroughputBenchmark "$@"
