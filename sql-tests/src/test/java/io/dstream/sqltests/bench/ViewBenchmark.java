package io.dstream.sqltests.bench;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.QueryState;
import io.dstream.executor.time.SystemClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A materialized view under load: the view {@code per_auction} (unbounded GROUP BY auction with
 * COUNT, SUM and MAX, kept from a changelog) over a csv file of the bid generator, while one
 * thread runs pull queries on it without pause and N threads drain {@code SELECT STREAM *}
 * subscriptions. Reports the view query's events/s (rows / seconds from its start to the end of
 * its last batch), the latency (median, p99) and count of the pull queries run after the view's
 * first batch while its query ran, and of 200 more on the whole view after it ended, and the
 * changes each subscriber received. Not a test: run with {@code bench/views.sh FILE [runs] [subscribers,...]}.
 */
public final class ViewBenchmark {
  private static final String VIEW = "CREATE MATERIALIZED VIEW per_auction AS SELECT STREAM auction,"
      + " COUNT(*) AS n, SUM(price) AS total, MAX(price) AS top FROM bids GROUP BY auction";
  private static final String[] PULLS = {
      "SELECT COUNT(*) AS auctions, SUM(n) AS bids FROM per_auction",
      "SELECT auction, total FROM per_auction ORDER BY total DESC LIMIT 10"};

  /** Input bytes each batch reads (-Dbench.batchBytes); the file's size over it is the batch count. */
  private static final String BATCH_BYTES = System.getProperty("bench.batchBytes", "8m");

  private ViewBenchmark() {}

  public static void main(String[] args) throws Exception {
    for (int q = 0; q < PULLS.length; q++) {
      System.out.printf("pull %d: %s%n", q + 1, PULLS[q]);
    }
    Path file = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String[] counts = (args.length > 2 ? args[2] : "0,4").split(",");
    long rows;
    try (var lines = Files.lines(file)) {
      rows = lines.count();
    }
    System.out.printf("file %s, %d rows, %d runs each, batch interval 100 ms, 2 workers x 1 slot,"
        + " 'batch.bytes' = '" + BATCH_BYTES + "'%n", file, rows, runs);
    for (String c : counts) {
      int subscribers = Integer.parseInt(c.strip());
      List<Double> rates = new ArrayList<>();
      List<String> details = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        Result result = run(file, subscribers);
        rates.add(rows / result.seconds);
        details.add(result.toString());
      }
      List<Double> sorted = new ArrayList<>(rates);
      Collections.sort(sorted);
      System.out.printf("%d subscribers: median %,.0f events/s%n", subscribers, sorted.get(sorted.size() / 2));
      for (String d : details) {
        System.out.println("  " + d);
      }
    }
  }

  /** One run's figures. */
  private record Result(double seconds, long batches, long viewRows, List<Long> pullNanos,
      List<List<Long>> fullNanos, List<Long> changes) {
    @Override
    public String toString() {
      StringBuilder full = new StringBuilder();
      for (int q = 0; q < fullNanos.size(); q++) {
        full.append(String.format("%n    then on the whole view, pull %d: %s", q + 1, latency(fullNanos.get(q))));
      }
      return String.format("%.2f s, %d batches, view %d rows, changes per subscriber %s%n    pulls while it ran"
          + " (both kinds): %s%s", seconds, batches, viewRows, changes, latency(pullNanos), full);
    }

    private static String latency(List<Long> nanos) {
      if (nanos.isEmpty()) {
        return "none";
      }
      List<Long> sorted = new ArrayList<>(nanos);
      Collections.sort(sorted);
      return String.format("%d, median %.1f ms, p99 %.1f ms", sorted.size(), sorted.get(sorted.size() / 2) / 1e6,
          sorted.get((int) Math.min(sorted.size() - 1, Math.floor(sorted.size() * 0.99))) / 1e6);
    }
  }

  private static Result run(Path file, int subscribers) throws Exception {
    EngineConfig config = new EngineConfig(2, 1, 100, SystemClock.INSTANCE).withPushBufferRows(10_000_000);
    try (Engine engine = new Engine(config)) {
      engine.execute("CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,"
          + " url VARCHAR, date_time TIMESTAMP(3), extra VARCHAR,"
          + " WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
          + " WITH (connector = 'csv', path = '" + file + "', 'batch.bytes' = '" + BATCH_BYTES + "')");
      long start = System.nanoTime();
      if (Boolean.getBoolean("bench.blackhole")) {
        // The same changelog into a blackhole sink instead of a view: what the view itself costs.
        engine.execute("CREATE STREAM changes WITH (connector = 'blackhole') AS "
            + VIEW.substring(VIEW.indexOf("SELECT STREAM")) + " EMIT CHANGES");
        QueryExecution q = engine.driver().queries().iterator().next();
        q.awaitTermination(600_000);
        return new Result((System.nanoTime() - start) / 1e9, q.completedBatches(), 0, List.of(), List.of(), List.of());
      }
      engine.execute(VIEW);
      QueryExecution view = engine.driver().queries().iterator().next();
      AtomicBoolean done = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      List<AtomicLong> received = new ArrayList<>();
      for (int i = 0; i < subscribers; i++) {
        StatementResult.PushStream stream = (StatementResult.PushStream) engine.execute("SELECT STREAM * FROM per_auction");
        AtomicLong count = new AtomicLong();
        received.add(count);
        Thread t = new Thread(() -> {
          try (stream) {
            while (true) {
              StatementResult.Polled p = stream.poll(100_000, 100);
              count.addAndGet(p.rows().size());
              if (p.done()) {
                return;
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "subscriber-" + i);
        t.start();
        threads.add(t);
      }
      List<Long> pullNanos = Collections.synchronizedList(new ArrayList<>());
      Thread puller = new Thread(() -> {
        for (int i = 0; !done.get(); i++) {
          boolean counted = view.completedBatches() > 0; // not the pulls of an empty view before its first batch
          long t0 = System.nanoTime();
          engine.execute(PULLS[i % PULLS.length]);
          if (counted) {
            pullNanos.add(System.nanoTime() - t0);
          }
        }
      }, "puller");
      puller.start();
      view.awaitTermination(600_000);
      double seconds = (System.nanoTime() - start) / 1e9;
      done.set(true);
      puller.join();
      if (view.state() != QueryState.FINISHED) {
        throw new IllegalStateException("view query ended " + view.state() + ": " + view.failure());
      }
      List<List<Long>> fullNanos = new ArrayList<>();
      for (String pull : PULLS) {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          long t0 = System.nanoTime();
          engine.execute(pull);
          nanos.add(System.nanoTime() - t0);
        }
        fullNanos.add(nanos);
      }
      StatementResult.RowSet count = (StatementResult.RowSet) engine.execute("SELECT COUNT(*) FROM per_auction");
      long viewRows = (Long) count.rows().get(0)[0];
      for (Thread t : threads) {
        t.join(60_000);
      }
      List<Long> changes = new ArrayList<>();
      for (AtomicLong c : received) {
        changes.add(c.get());
      }
      return new Result(seconds, view.completedBatches(), viewRows, pullNanos, fullNanos, changes);
    }
  }
}
