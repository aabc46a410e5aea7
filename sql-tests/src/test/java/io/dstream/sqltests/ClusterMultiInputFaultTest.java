package io.dstream.sqltests;

import static io.dstream.sqltests.ClusterEndToEndTest.createBids;
import static io.dstream.sqltests.ClusterEndToEndTest.runToEnd;
import static io.dstream.sqltests.ClusterEndToEndTest.worker;
import static io.dstream.sqltests.ClusterEndToEndTest.writeBids;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.SpeculationConfig;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import java.nio.charset.StandardCharsets;
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
 * An interval join of two csv streams on three worker processes, one of them killed with
 * SIGKILL mid-query: the join state it held is recomputed from the lineage of both inputs'
 * splits on the survivors, and the complete output equals an embedded failure-free run's.
 */
@Timeout(240)
class ClusterMultiInputFaultTest {
  private static final String SECRET = "join-fault-secret";
  private static final String QUERY = "SELECT STREAM a.auction, a.price, b.price AS price2, a.date_time,"
      + " b.date_time AS time2 FROM bids a JOIN bids2 b ON a.auction = b.auction"
      + " AND a.date_time BETWEEN b.date_time - INTERVAL '0.5' SECOND AND b.date_time";
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

  private void createStreams(Engine engine, Path first, Path second) {
    engine.execute(createBids("bids", first));
    engine.execute(createBids("bids2", second).replace("'64k'", "'32k'"));
  }

  @Test
  void killedWorkerOfAJoinIsRecomputedFromBothInputsLineageAndOutputIsUnchanged() throws Exception {
    temp = Files.createTempDirectory("dstream-join-fault-test");
    Path first = temp.resolve("bids.csv");
    Path second = temp.resolve("bids2.csv");
    writeBids(first, 20_000);
    List<String> lines = Files.readAllLines(first, StandardCharsets.UTF_8);
    List<String> other = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += 3) {
      String[] f = lines.get(i).split(",", -1);
      f[2] = Integer.toString(i);
      other.add(String.join(",", f));
    }
    Files.write(second, other, StandardCharsets.UTF_8);

    List<String> expected;
    ManualClock clock = new ManualClock(0);
    try (Engine embedded = new Engine(new EngineConfig(3, 1, 1000, clock))) {
      createStreams(embedded, first, second);
      expected = runToEnd(embedded, clock, QUERY);
    }
    assertThat(expected).hasSizeGreaterThan(1000);

    ManualClock clusterClock = new ManualClock(0);
    EngineConfig config = new EngineConfig(1, 1, 1000, clusterClock)
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET))
        .withSpeculation(SpeculationConfig.disabled());
    try (Engine cluster = new Engine(config)) {
      int port = cluster.cluster().orElseThrow().port();
      for (int i = 1; i <= 3; i++) {
        workers.add(worker("w" + i, port, SECRET, temp.resolve("w" + i + ".log")));
      }
      assertThat(cluster.cluster().orElseThrow().awaitWorkers(3, 120_000)).isTrue();
      createStreams(cluster, first, second);
      QueryExecution[] query = new QueryExecution[1];
      boolean[] victimWasMember = new boolean[1];
      List<String> actual = runToEnd(cluster, clusterClock, QUERY, 5, () -> {
        query[0] = cluster.driver().queries().iterator().next();
        victimWasMember[0] = cluster.cluster().orElseThrow().workers().contains("w2");
        Process victim = workers.get(1);
        victim.destroyForcibly();  // SIGKILL
        victim.waitFor(30, TimeUnit.SECONDS);
        workers.add(worker("w4", port, SECRET, temp.resolve("w4.log")));
        return null;
      });
      assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
      // Usually w2 holds a state partition, recomputed from both inputs' lineage after the kill;
      // on a loaded machine workers may miss heartbeats early on and rejoin, and the state then
      // moves elsewhere before the kill. The output must be right either way.
      System.out.printf("ClusterMultiInputFaultTest: w2 a member at the kill: %s, batches replayed: %d%n",
          victimWasMember[0], query[0].recoveredBatches());
      assertThat(cluster.cluster().orElseThrow().workers()).doesNotContain("w2");
    }
  }
}
