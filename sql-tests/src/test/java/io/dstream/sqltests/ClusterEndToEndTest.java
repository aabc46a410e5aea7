package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Cluster mode with real worker processes on loopback: three worker JVMs join the driver with
 * the shared secret, queries run on them, and their output equals the embedded engine's on the
 * same input. A worker with the wrong secret is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ClusterEndToEndTest {
  private static final String SECRET = "test-secret";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private Path temp;

  private Path input;
  private Engine cluster;
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  void startCluster() throws Exception {
    temp = Files.createTempDirectory("dstream-cluster-test");
    input = temp.resolve("bids.csv");
    writeBids(input, 20_000);
    EngineConfig config = new EngineConfig(1, 1, 1000, new ManualClock(0))
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET));
    cluster = new Engine(config);
    int port = cluster.cluster().orElseThrow().port();
    for (int i = 1; i <= 3; i++) {
      workers.add(worker("w" + i, port, SECRET, temp.resolve("w" + i + ".log")));
    }
    assertThat(cluster.cluster().orElseThrow().awaitWorkers(3, 120_000)).as("3 workers joined").isTrue();
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    for (Process p : workers) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(temp)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  static Process worker(String id, int port, String secret, Path log) throws Exception {
    return WorkerProcesses.start(id, port, secret, log);
  }

  static void writeBids(Path file, int rows) throws Exception {
    Random rnd = new Random(7);
    long t = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    String[] channels = {"Google", "Facebook", "Baidu", "Apple"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      t += rnd.nextInt(8);
      long jitter = rnd.nextInt(4) == 0 ? rnd.nextInt(3000) : 0;
      sb.append(1000 + rnd.nextInt(50)).append(',').append(2000 + rnd.nextInt(500)).append(',')
          .append(rnd.nextInt(100_000)).append(',').append(channels[rnd.nextInt(4)]).append(",https://x/")
          .append(i).append(',').append(TIME.format(Instant.ofEpochMilli(t - jitter))).append(",e").append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  static String createBids(String name, Path file) {
    return "CREATE STREAM " + name + " (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,"
        + " url VARCHAR, date_time TIMESTAMP(3), extra VARCHAR,"
        + " WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
        + " WITH (connector = 'csv', path = '" + file + "', 'batch.bytes' = '64k')";
  }

  /** Runs a bounded query to its end on a manual clock, returning every row as text. */
  static List<String> runToEnd(Engine engine, ManualClock clock, String query) throws Exception {
    return runToEnd(engine, clock, query, -1, () -> null);
  }

  /** The same, running {@code action} once the clock has cut {@code atBatch} batches. */
  static List<String> runToEnd(Engine engine, ManualClock clock, String query, int atBatch,
      Callable<?> action) throws Exception {
    return runToEnd(engine, clock, query, atBatch, false, action);
  }

  /**
   * The same; with {@code duringBatch}, the action runs right after the clock starts batch
   * {@code atBatch}, while it runs, instead of before.
   */
  static List<String> runToEnd(Engine engine, ManualClock clock, String query, int atBatch,
      boolean duringBatch, Callable<?> action) throws Exception {
    StatementResult.PushStream push = (StatementResult.PushStream) engine.execute(query);
    List<String> rows = new ArrayList<>();
    try (push) {
      for (int batch = 0; batch < 10_000; batch++) {
        if (batch == atBatch && !duringBatch) {
          action.call();
        }
        clock.advance(1000);
        if (batch == atBatch && duringBatch) {
          action.call();
        }
        // One batch per clock step: wait for it, so that the action lands between batches.
        for (QueryExecution q : engine.driver().queries()) {
          q.awaitBatches(batch + 1, 120_000);
        }
        while (true) {
          StatementResult.Polled polled = push.poll(100_000, 0);
          for (Object[] row : polled.rows()) {
            rows.add(GoldenScript.format(push.columns(), row));
          }
          if (polled.done()) {
            return rows;
          }
          if (polled.rows().isEmpty()) {
            break;
          }
        }
      }
    }
    throw new AssertionError("query did not end");
  }

  private List<String> embedded(String query) throws Exception {
    ManualClock clock = new ManualClock(0);
    try (Engine engine = new Engine(new EngineConfig(2, 1, 1000, clock))) {
      engine.execute(createBids("bids", input));
      return runToEnd(engine, clock, query);
    }
  }

  private List<String> onCluster(String stream, String query) throws Exception {
    cluster.execute(createBids(stream, input));
    return runToEnd(cluster, (ManualClock) cluster.config().clock(), query.replace(" bids ", " " + stream + " "));
  }

  @Test
  void windowedAggregationOnWorkersEqualsTheEmbeddedRun() throws Exception {
    String query = "SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total, MAX(price) AS top,"
        + " TUMBLE_END(date_time, INTERVAL '2' SECOND) AS window_end FROM bids "
        + "GROUP BY TUMBLE(date_time, INTERVAL '2' SECOND), auction";
    List<String> expected = embedded(query);
    assertThat(expected).hasSizeGreaterThan(1000);
    assertThat(onCluster("bids1", query)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void hopWindowsAndFiltersOnWorkersEqualTheEmbeddedRun() throws Exception {
    String query = "SELECT STREAM window_start, window_end, channel, COUNT(*) AS n, AVG(price) AS mean"
        + " FROM TABLE(HOP(TABLE bids , DESCRIPTOR(date_time), INTERVAL '1' SECOND, INTERVAL '3' SECOND))"
        + " WHERE price % 3 <> 0 GROUP BY window_start, window_end, channel";
    List<String> expected = embedded(query);
    assertThat(expected).isNotEmpty();
    assertThat(onCluster("bids2", query)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void projectionOnWorkersEqualsTheEmbeddedRun() throws Exception {
    String query = "SELECT STREAM auction, 0.908 * price AS euro, UPPER(channel) AS c, date_time FROM bids "
        + "WHERE auction % 7 = 0";
    List<String> expected = embedded(query);
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(onCluster("bids3", query)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void badClientsOnTheDriverPortDoNotDisturbARunningQuery() throws Exception {
    String query = "SELECT STREAM auction, COUNT(*) AS n, TUMBLE_END(date_time, INTERVAL '2' SECOND) AS window_end"
        + " FROM bids GROUP BY TUMBLE(date_time, INTERVAL '2' SECOND), auction";
    List<String> expected = embedded(query);
    int port = cluster.cluster().orElseThrow().port();
    cluster.execute(createBids("bids4", input));
    List<String> actual = runToEnd(cluster, (ManualClock) cluster.config().clock(),
        query.replace(" bids ", " bids4 "), 3, () -> {
          // Garbage, a truncated frame, a disconnect in the middle of a frame, a wrong secret.
          try (java.net.Socket garbage = new java.net.Socket("127.0.0.1", port)) {
            garbage.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            garbage.getOutputStream().flush();
          }
          try (java.net.Socket truncated = new java.net.Socket("127.0.0.1", port)) {
            truncated.getOutputStream().write(new byte[] {0, 0, 0, 40, (byte) 0xD5, 1, 1, 0, 0});
            truncated.getOutputStream().flush();
          }
          Process intruder = worker("intruder", port, "wrong-secret", temp.resolve("intruder.log"));
          assertThat(intruder.waitFor(60, TimeUnit.SECONDS)).isTrue();
          assertThat(intruder.exitValue()).isEqualTo(1);
          return null;
        });
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(cluster.cluster().orElseThrow().workers()).containsExactly("w1", "w2", "w3");
  }

  @Test
  void workerWithAWrongSecretIsRefused() throws Exception {
    Path log = temp.resolve("bad.log");
    Process bad = worker("intruder", cluster.cluster().orElseThrow().port(), "wrong", log);
    assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(1);
    assertThat(Files.readString(log)).contains("wrong shared secret");
    assertThat(cluster.cluster().orElseThrow().workers()).containsExactly("w1", "w2", "w3");
  }
}
