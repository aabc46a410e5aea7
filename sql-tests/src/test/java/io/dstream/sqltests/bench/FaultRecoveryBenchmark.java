package io.dstream.sqltests.bench;

import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.executor.scheduler.BatchStats;
import io.dstream.executor.scheduler.QueryExecution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Batch processing times around a worker kill: a cluster-mode engine with 3 local worker
 * processes, 1 s batches and checkpoints every 10 batches runs a windowed query over a steady
 * Nexmark input; after
 * {@code before} batches one worker is killed with SIGKILL, and the processing time of every
 * batch is printed. Not a test: run with {@code bench/fault-recovery.sh [rate] [before] [after]}.
 */
public final class FaultRecoveryBenchmark {
  private FaultRecoveryBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rate = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    int before = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int after = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    Path logs = Files.createTempDirectory("dstream-fault-bench");
    String[] plain = {};
    try (BenchCluster cluster = new BenchCluster(logs,
        c -> c.withCheckpoint(CheckpointConfig.withDefaultInterval(logs.resolve("checkpoints"), 1000)),
        List.of(plain, plain, plain))) {
      QueryExecution query = cluster.startWindowedCount(rate);
      query.awaitBatches(before, 600_000);
      long killedBatch = query.completedBatches();
      cluster.workers.get(1).destroyForcibly();
      System.out.printf("killed worker w2 (SIGKILL) after %d completed batches%n", killedBatch);
      query.awaitBatches(before + after, 600_000);
      System.out.printf("input rate %,d events/s, 3 workers x 1 slot, 1 s batches, checkpoints every 10 batches,"
          + " TUMBLE 10 s per auction; latest checkpoint batch %d, batches replayed in recovery %d%n", rate,
          query.checkpointedBatch(), query.recoveredBatches());
      System.out.println("batch  processing_ms  scheduling_delay_ms  input_rows  note");
      for (BatchStats b : query.recentBatches()) {
        String note = b.batch() == killedBatch ? "<- first batch after the kill" : "";
        System.out.printf("%5d  %13d  %19d  %10d  %s%n", b.batch(), b.processingMillis(),
            b.schedulingDelayMillis(), b.inputRows(), note);
      }
    }
  }
}
