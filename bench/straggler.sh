#!/usr/bin/env bash
# Batch processing times with one straggling worker, speculation on and off (cluster mode):
# bench/straggler.sh [events_per_second] [task_delay_ms] [batches]
exec "$(dirname "$0")/run-java.sh" StragglerBenchmark "$@"
