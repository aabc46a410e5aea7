#!/usr/bin/env bash
# Events/s of the QUERIES.md queries over a bid csv file: bench/throughput.sh FILE [runs] [query]
# Generate the file with: python3 ../shared/bench/gen_bids.py 2000000 bench-data/bids-2m.csv
exec "$(dirname "$0")/run-java.sh" ThroughputBenchmark "$@"
