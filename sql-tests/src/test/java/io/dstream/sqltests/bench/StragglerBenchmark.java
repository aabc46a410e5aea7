package io.dstream.sqltests.bench;

import io.dstream.executor.scheduler.BatchStats;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.SpeculationConfig;
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
 * Batch processing times with one straggling worker, speculation on and off: a cluster-mode
 * engine with 3 local worker processes (the third delays every task by {@code delay} ms) and
 * 1 s batches runs a windowed query over a steady Nexmark input. Not a test: run with
 * {@code bench/straggler.sh [rate] [delay_ms] [batches]}.
 */
public final class StragglerBenchmark {
  private StragglerBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rate = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    long delay = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    int batches = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    System.out.printf("input %,d events/s, 3 workers x 1 slot (w3 delays each task by %d ms), 1 s batches,"
        + " TUMBLE 10 s per auction, %d batches, first 3 batches dropped as warm-up%n", rate, delay, batches);
    for (boolean speculation : new boolean[] {true, false}) {
      run(rate, delay, batches, speculation);
    }
  }

  private static void run(long rate, long delay, int batches, boolean speculation) throws Exception {
    String secret = "bench-secret";
    Path logs = Files.createTempDirectory("dstream-straggler-bench");
    EngineConfig config = new EngineConfig(1, 1, 1000, SystemClock.INSTANCE)
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, secret))
        .withSpeculation(speculation ? SpeculationConfig.defaults() : SpeculationConfig.disabled());
    List<Process> workers = new ArrayList<>();
    try (Engine engine = new Engine(config)) {
      int port = engine.cluster().orElseThrow().port();
      workers.add(WorkerProcesses.start("w1", port, secret, logs.resolve("w1.log")));
      workers.add(WorkerProcesses.start("w2", port, secret, logs.resolve("w2.log")));
      workers.add(WorkerProcesses.start("w3", port, secret, logs.resolve("w3.log"),
          "--task-delay-ms", Long.toString(delay)));
      if (!engine.cluster().orElseThrow().awaitWorkers(3, 120_000)) {
        throw new IllegalStateException("workers did not join; logs in " + logs);
      }
      engine.execute("CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,"
          + " url VARCHAR, date_time TIMESTAMP(3), extra VARCHAR,"
          + " WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
          + " WITH (connector = 'nexmark', 'event.rate' = '" + rate + "', 'max.rate' = '" + rate + "')");
      engine.execute("CREATE STREAM counts WITH (connector = 'blackhole') AS SELECT STREAM auction, COUNT(*) AS n,"
          + " TUMBLE_END(date_time, INTERVAL '10' SECOND) AS window_end FROM bids"
          + " GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction");
      QueryExecution query = engine.driver().queries().iterator().next();
      query.awaitBatches(batches, 600_000);
      List<Long> processing = new ArrayList<>();
      List<Long> delays = new ArrayList<>();
      for (BatchStats b : query.recentBatches()) {
        if (b.batch() >= 3 && b.batch() < batches) {
          processing.add(b.processingMillis());
          delays.add(b.schedulingDelayMillis());
        }
      }
      List<Long> sorted = new ArrayList<>(processing);
      sorted.sort(null);
      System.out.printf("speculation %-3s: median batch processing %d ms, max %d ms, last scheduling delay %d ms,"
          + " speculative copies %d, wins %d%n  batch times (ms): %s%n", speculation ? "on" : "off",
          sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), delays.get(delays.size() - 1),
          query.speculativeTasks(), query.speculativeWins(), processing);
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
