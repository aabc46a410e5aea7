package io.dstream.sqltests.bench;

import io.dstream.executor.scheduler.BatchStats;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.SpeculationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    Path logs = Files.createTempDirectory("dstream-straggler-bench");
    String[] plain = {};
    String[] straggler = {"--task-delay-ms", Long.toString(delay)};
    try (BenchCluster cluster = new BenchCluster(logs,
        c -> c.withSpeculation(speculation ? SpeculationConfig.defaults() : SpeculationConfig.disabled()),
        List.of(plain, plain, straggler))) {
      QueryExecution query = cluster.startWindowedCount(rate);
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
    }
  }
}
