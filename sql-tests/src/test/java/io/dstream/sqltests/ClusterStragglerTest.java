package io.dstream.sqltests;

import static io.dstream.sqltests.ClusterEndToEndTest.runToEnd;
import static io.dstream.sqltests.ClusterEndToEndTest.writeBids;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.BatchStats;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.SpeculationConfig;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * One of three worker processes is a straggler (it waits 2 s before each task): the driver
 * backs up its tasks with speculative copies on the other workers, the copies win, and the
 * output equals the embedded engine's.
 */
@Timeout(180)
class ClusterStragglerTest {
  private static final String SECRET = "straggler-secret";
  private static final String STRAGGLER_DELAY_MILLIS = "2000";
  private static final String QUERY = "SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total, MAX(price) AS top,"
      + " TUMBLE_END(date_time, INTERVAL '2' SECOND) AS window_end FROM bids "
      + "GROUP BY TUMBLE(date_time, INTERVAL '2' SECOND), auction";

  private final List<Process> workers = new ArrayList<>();
  private Path temp;
  private Path input;

  @BeforeEach
  void writeInput() throws Exception {
    temp = Files.createTempDirectory("dstream-straggler-test");
    input = temp.resolve("bids.csv");
    writeBids(input, 40_000);
  }

  @AfterEach
  void cleanUp() throws Exception {
    stopWorkers();
    try (var files = Files.walk(temp)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** Batches of about 200 KB: the csv source cuts each into three splits, one map task each. */
  private static String createBids(Path file) {
    return "CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,"
        + " url VARCHAR, date_time TIMESTAMP(3), extra VARCHAR,"
        + " WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
        + " WITH (connector = 'csv', path = '" + file + "', 'batch.bytes' = '200k')";
  }

  @Test
  void tasksOfAStragglingWorkerAreSpeculatedAndTheOutputIsUnchanged() throws Exception {
    List<String> expected;
    ManualClock clock = new ManualClock(0);
    try (Engine embedded = new Engine(new EngineConfig(3, 1, 1000, clock))) {
      embedded.execute(createBids(input));
      expected = runToEnd(embedded, clock, QUERY);
    }
    assertThat(expected).hasSizeGreaterThan(1000);

    Run run = runOnCluster(SpeculationConfig.defaults());
    assertThat(run.rows()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(run.query().speculativeTasks()).isPositive();
    assertThat(run.query().speculativeWins()).isPositive();
    assertThat(run.query().recentBatches().stream().mapToLong(BatchStats::speculativeWins).sum())
        .isEqualTo(run.query().speculativeWins());
  }

  /**
   * Not a test: the time to run the query to its end with speculation on and off, three runs
   * each. Run with {@code mvn -o -pl sql-tests test -Dtest=ClusterStragglerTest -Ddstream.bench=true}.
   */
  @Test
  @Timeout(1800)
  @EnabledIfSystemProperty(named = "dstream.bench", matches = "true")
  void benchSpeculationOnAndOff() throws Exception {
    for (boolean enabled : new boolean[] {true, false}) {
      List<Long> totals = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Run run = runOnCluster(SpeculationConfig.defaults().withEnabled(enabled));
        totals.add(run.millis());
        List<Long> batches = run.query().recentBatches().stream().map(BatchStats::processingMillis).sorted().toList();
        System.out.printf("speculation %s run %d: %d ms to the end, %d batches, batch processing median %d ms,"
            + " max %d ms, speculative copies %d, won %d%n", enabled ? "on" : "off", i + 1, run.millis(),
            batches.size(), batches.get(batches.size() / 2), batches.get(batches.size() - 1),
            run.query().speculativeTasks(), run.query().speculativeWins());
      }
      System.out.printf("speculation %s: median %d ms to the end over %s%n", enabled ? "on" : "off",
          totals.stream().sorted().toList().get(1), totals);
    }
  }

  private record Run(List<String> rows, QueryExecution query, long millis) {}

  /** Runs the query on 3 fresh worker processes, w3 a straggler. */
  private Run runOnCluster(SpeculationConfig speculation) throws Exception {
    ManualClock clock = new ManualClock(0);
    EngineConfig config = new EngineConfig(1, 1, 1000, clock)
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET))
        .withSpeculation(speculation);
    try (Engine cluster = new Engine(config)) {
      int port = cluster.cluster().orElseThrow().port();
      workers.add(WorkerProcesses.start("w1", port, SECRET, temp.resolve("w1.log")));
      workers.add(WorkerProcesses.start("w2", port, SECRET, temp.resolve("w2.log")));
      workers.add(WorkerProcesses.start("w3", port, SECRET, temp.resolve("w3.log"), "--task-delay-ms", STRAGGLER_DELAY_MILLIS));
      assertThat(cluster.cluster().orElseThrow().awaitWorkers(3, 120_000)).as("3 workers joined").isTrue();
      cluster.execute(createBids(input));
      AtomicReference<QueryExecution> query = new AtomicReference<>();
      long start = System.nanoTime();
      List<String> rows = runToEnd(cluster, clock, QUERY, 0, () -> {
        query.set(cluster.driver().queries().iterator().next());
        return null;
      });
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new Run(rows, query.get(), millis);
    } finally {
      stopWorkers();
    }
  }

  private void stopWorkers() throws InterruptedException {
    for (Process p : workers) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    workers.clear();
  }
}
