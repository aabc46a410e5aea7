package io.dstream.sqltests.bench;

import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.executor.scheduler.BatchStats;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.SystemClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.sqltests.WorkerProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    String secret = "bench-secret";
    Path logs = Files.createTempDirectory("dstream-fault-bench");
    EngineConfig config = new EngineConfig(1, 1, 1000, SystemClock.INSTANCE)
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, secret))
        .withCheckpoint(CheckpointConfig.withDefaultInterval(logs.resolve("checkpoints"), 1000));
    List<Process> workers = new ArrayList<>();
    try (Engine engine = new Engine(config)) {
      int port = engine.cluster().orElseThrow().port();
      for (int i = 1; i <= 3; i++) {
        workers.add(WorkerProcesses.start("w" + i, port, secret, logs.resolve("w" + i + ".log")));
      }
      if (!engine.cluster().orElseThrow().awaitWorkers(3, 120_000)) {
        throw new IllegalStateException("workers did not join; logs in " + logs);
      }
      engine.execute("CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,"
          + " url VARCHAR, date_time TIMESTAMP(3), extra VARCHAR,"
          + " WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
          + " WITH (connector = 'nexmark', 'event.rate' = '" + rate + "', 'max.rate' = '" + rate + "')");
      engine.execute("CREATE STREAM counts WITH (connector = 'blackhole') AS SELECT STREAM auction, COUNT(*) AS n,"
          + " MAX(price) AS top, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS window_end FROM bids"
          + " GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction");
      QueryExecution query = engine.driver().queries().iterator().next();
      query.awaitBatches(before, 600_000);
      long killedBatch = query.completedBatches();
      workers.get(1).destroyForcibly();
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
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
