package io.dstream.sqltests;

import static io.dstream.sqltests.ClusterEndToEndTest.createBids;
import static io.dstream.sqltests.ClusterEndToEndTest.runToEnd;
import static io.dstream.sqltests.ClusterEndToEndTest.worker;
import static io.dstream.sqltests.ClusterEndToEndTest.writeBids;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker process is killed with SIGKILL in the middle of a stateful query: the driver
 * recomputes the state partitions it held from lineage on the surviving workers, a new worker
 * joins, and the complete output equals a failure-free run's.
 */
@Timeout(240)
class ClusterFaultTest {
  private static final String SECRET = "fault-secret";
  private final List<Process> workers = new ArrayList<>();
  private Path temp;

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : workers) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(temp)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void killedWorkerIsRecomputedFromLineageAndOutputIsUnchanged() throws Exception {
    temp = Files.createTempDirectory("dstream-fault-test");
    Path input = temp.resolve("bids.csv");
    writeBids(input, 20_000);
    String query = "SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total,"
        + " HOP_END(date_time, INTERVAL '1' SECOND, INTERVAL '3' SECOND) AS window_end FROM bids "
        + "GROUP BY HOP(date_time, INTERVAL '1' SECOND, INTERVAL '3' SECOND), auction";

    List<String> expected;
    ManualClock clock = new ManualClock(0);
    try (Engine embedded = new Engine(new EngineConfig(3, 1, 1000, clock))) {
      embedded.execute(createBids("bids", input));
      expected = runToEnd(embedded, clock, query);
    }
    assertThat(expected).hasSizeGreaterThan(1000);

    ManualClock clusterClock = new ManualClock(0);
    EngineConfig config = new EngineConfig(1, 1, 1000, clusterClock)
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET));
    try (Engine cluster = new Engine(config)) {
      int port = cluster.cluster().orElseThrow().port();
      for (int i = 1; i <= 3; i++) {
        workers.add(worker("w" + i, port, SECRET, temp.resolve("w" + i + ".log")));
      }
      assertThat(cluster.cluster().orElseThrow().awaitWorkers(3, 120_000)).isTrue();
      cluster.execute(createBids("bids", input));
      List<String> actual = runToEnd(cluster, clusterClock, query, 6, () -> {
        Process victim = workers.get(1);
        victim.destroyForcibly();  // SIGKILL
        victim.waitFor(30, TimeUnit.SECONDS);
        workers.add(worker("w4", port, SECRET, temp.resolve("w4.log")));
        return null;
      });
      assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(cluster.cluster().orElseThrow().workers()).doesNotContain("w2");
    }
  }
}
