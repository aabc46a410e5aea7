#!/usr/bin/env bash
# Batch processing times around a worker kill (cluster mode, 3 local workers, 1 s batches,
# checkpoints every 10 batches): bench/fault-recovery.sh [events_per_second] [batches_before_kill] [batches_after_kill]
exec "$(dirname "$0")/run-java.sh" FaultRecoveryBenchmark "$@"
