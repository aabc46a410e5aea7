#!/usr/bin/env bash
# A materialized view under pull queries and changelog subscribers: bench/views.sh FILE [runs] [subscribers,...]
# Generate the file with: python3 ../shared/bench/gen_bids.py 2000000 bench-data/bids-2m.csv
exec "$(dirname "$0")/run-java.sh" ViewBenchmark "$@"
