package io.dstream.sqltests.bench;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.QueryState;
import io.dstream.executor.time.SystemClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events per second of the six queries of shared/bench/QUERIES.md over a csv file of the bid
 * generator, each written to a blackhole sink: N / seconds from job start to the end of the
 * last batch (whose commit holds the last output row), median of the runs. Not a test: run
 * with {@code bench/throughput.sh FILE [runs]}.
 */
public final class ThroughputBenchmark {
  static final Map<String, String> QUERIES = new LinkedHashMap<>();

  static {
    QUERIES.put("Q0", "SELECT STREAM auction, bidder, price, date_time, extra FROM bids");
    QUERIES.put("Q1", "SELECT STREAM auction, bidder, 0.908 * price AS price, date_time, extra FROM bids");
    QUERIES.put("Q2", "SELECT STREAM auction, price FROM bids WHERE auction % 123 = 0");
    QUERIES.put("Q5L", "SELECT STREAM auction, COUNT(*) AS n, TUMBLE_END(date_time, INTERVAL '10' SECOND) AS window_end"
        + " FROM bids GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND), auction");
    QUERIES.put("Q7L", "SELECT STREAM TUMBLE_END(date_time, INTERVAL '10' SECOND) AS window_end, MAX(price) AS max_price"
        + " FROM bids GROUP BY TUMBLE(date_time, INTERVAL '10' SECOND)");
    QUERIES.put("QH", "SELECT STREAM auction, COUNT(*) AS n, HOP_END(date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND) AS window_end"
        + " FROM bids GROUP BY HOP(date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND), auction");
  }

  private ThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String only = args.length > 2 ? args[2] : null;
    long rows;
    try (var lines = Files.lines(file)) {
      rows = lines.count();
    }
    System.out.printf("file %s, %d rows, %d runs per query, batch interval 100 ms, 2 workers x 1 slot%n",
        file, rows, runs);
    for (Map.Entry<String, String> q : QUERIES.entrySet()) {
      if (only != null && !only.equals(q.getKey())) {
        continue;
      }
      List<Double> rates = new ArrayList<>();
      List<Long> outputs = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        double[] result = run(file, q.getValue());
        rates.add(rows / result[0]);
        outputs.add((long) result[1]);
      }
      List<Double> sorted = new ArrayList<>(rates);
      Collections.sort(sorted);
      System.out.printf("%-4s median %,.0f events/s  (runs: %s; output rows %s)%n", q.getKey(),
          sorted.get(sorted.size() / 2), format(rates), outputs);
    }
  }

  private static String format(List<Double> rates) {
    List<String> out = new ArrayList<>();
    for (double d : rates) {
      out.add(String.format("%,.0f", d));
    }
    return String.join(", ", out);
  }

  /** Seconds from the query's start to its end, and its output row count. */
  static double[] run(Path file, String query) throws Exception {
    EngineConfig config = new EngineConfig(2, 1, 100, SystemClock.INSTANCE);
    try (Engine engine = new Engine(config)) {
      engine.execute("CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,"
          + " url VARCHAR, date_time TIMESTAMP(3), extra VARCHAR,"
          + " WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
          + " WITH (connector = 'csv', path = '" + file + "', 'batch.bytes' = '64m')");
      long start = System.nanoTime();
      engine.execute("CREATE STREAM results WITH (connector = 'blackhole') AS " + query);
      QueryExecution execution = engine.driver().queries().iterator().next();
      execution.awaitTermination(600_000);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (execution.state() != QueryState.FINISHED) {
        throw new IllegalStateException("query ended " + execution.state() + ": " + execution.failure());
      }
      return new double[] {seconds, execution.outputRows()};
    }
  }
}
