package io.dstream.sqltests;

import static io.dstream.sqltests.ClusterEndToEndTest.createBids;
import static io.dstream.sqltests.ClusterEndToEndTest.runToEnd;
import static io.dstream.sqltests.ClusterEndToEndTest.worker;
import static io.dstream.sqltests.ClusterEndToEndTest.writeBids;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.checkpoint.CheckpointConfig;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker process is killed with SIGKILL in the middle of a stateful query: the driver
 * recomputes the state partitions it held on the surviving workers (from lineage, or from the
 * latest state checkpoint and the lineage after it), a new worker joins, and the complete
 * output equals a failure-free run's.
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

  private static final String QUERY = "SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total,"
      + " HOP_END(date_time, INTERVAL '1' SECOND, INTERVAL '3' SECOND) AS window_end FROM bids "
      + "GROUP BY HOP(date_time, INTERVAL '1' SECOND, INTERVAL '3' SECOND), auction";

  /** What a run with a killed worker observed. */
  private record FaultRun(List<String> expected, List<String> actual, long batchesBeforeKill,
      long checkpointBeforeKill, long recoveredBatches) {}

  @Test
  void killedWorkerIsRecomputedFromLineageAndOutputIsUnchanged() throws Exception {
    FaultRun run = runWithKilledWorker(6, SpeculationConfig.defaults(), null);
    assertThat(run.actual()).containsExactlyInAnyOrderElementsOf(run.expected());
  }

  @Test
  void killedWorkerIsRestoredFromTheLatestCheckpointAndOnlyLaterBatchesAreReplayed() throws Exception {
    temp = Files.createTempDirectory("dstream-fault-test");
    Path checkpoints = temp.resolve("checkpoints");
    // Without speculation, reduce partition p stays on worker p % 3: the killed w2 holds state.
    FaultRun run = runWithKilledWorker(7, SpeculationConfig.disabled(), new CheckpointConfig(checkpoints, 3));
    assertThat(run.actual()).containsExactlyInAnyOrderElementsOf(run.expected());
    assertThat(run.checkpointBeforeKill()).isGreaterThanOrEqualTo(2);
    assertThat(run.recoveredBatches()).isPositive().isLessThan(run.batchesBeforeKill())
        .isLessThanOrEqualTo(run.batchesBeforeKill() - 1 - run.checkpointBeforeKill());
    // one query directory; the engine's own metadata file sits next to it
    try (var queries = Files.list(checkpoints)) {
      assertThat(queries.filter(Files::isDirectory)).hasSize(1);
    }
    assertThat(checkpoints.resolve("_engine.json")).isRegularFile();
  }

  @Test
  void workerKilledWhileItsTasksRunIsRecomputedAndTheBatchRetried() throws Exception {
    temp = Files.createTempDirectory("dstream-fault-test");
    Path input = temp.resolve("bids.csv");
    List<String> expected = failureFreeRun(input);
    ManualClock clusterClock = new ManualClock(0);
    EngineConfig config = new EngineConfig(1, 1, 1000, clusterClock)
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET))
        .withSpeculation(SpeculationConfig.disabled());
    try (Engine cluster = new Engine(config)) {
      int port = cluster.cluster().orElseThrow().port();
      workers.add(worker("w1", port, SECRET, temp.resolve("w1.log")));
      // w2 takes 2 s per task, so it is surely running tasks of the batch when it is killed.
      workers.add(WorkerProcesses.start("w2", port, SECRET, temp.resolve("w2.log"), "--task-delay-ms", "2000"));
      workers.add(worker("w3", port, SECRET, temp.resolve("w3.log")));
      assertThat(cluster.cluster().orElseThrow().awaitWorkers(3, 120_000)).isTrue();
      cluster.execute(createBids("bids", input));
      QueryExecution[] query = new QueryExecution[1];
      List<String> actual = runToEnd(cluster, clusterClock, QUERY, 2, true, () -> {
        query[0] = cluster.driver().queries().iterator().next();
        Process victim = workers.get(1);
        victim.destroyForcibly();  // SIGKILL, in the middle of batch 2
        victim.waitFor(30, TimeUnit.SECONDS);
        return null;
      });
      assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(query[0].recoveredBatches()).as("state of w2 recomputed").isPositive();
    }
  }

  /** Writes the input to {@code input} and returns {@link #QUERY}'s output of an embedded run. */
  private static List<String> failureFreeRun(Path input) throws Exception {
    writeBids(input, 20_000);
    ManualClock clock = new ManualClock(0);
    try (Engine embedded = new Engine(new EngineConfig(3, 1, 1000, clock))) {
      embedded.execute(createBids("bids", input));
      return runToEnd(embedded, clock, QUERY);
    }
  }

  /**
   * Runs {@link #QUERY} embedded (the expected output), then on three worker processes,
   * killing w2 with SIGKILL once {@code killAt} batches ran and starting a fourth.
   */
  private FaultRun runWithKilledWorker(int killAt, SpeculationConfig speculation, CheckpointConfig checkpoint)
      throws Exception {
    if (temp == null) {
      temp = Files.createTempDirectory("dstream-fault-test");
    }
    Path input = temp.resolve("bids.csv");
    List<String> expected = failureFreeRun(input);
    assertThat(expected).hasSizeGreaterThan(1000);

    ManualClock clusterClock = new ManualClock(0);
    EngineConfig config = new EngineConfig(1, 1, 1000, clusterClock)
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET)).withSpeculation(speculation)
        .withCheckpoint(checkpoint);
    try (Engine cluster = new Engine(config)) {
      int port = cluster.cluster().orElseThrow().port();
      for (int i = 1; i <= 3; i++) {
        workers.add(worker("w" + i, port, SECRET, temp.resolve("w" + i + ".log")));
      }
      assertThat(cluster.cluster().orElseThrow().awaitWorkers(3, 120_000)).isTrue();
      cluster.execute(createBids("bids", input));
      long[] beforeKill = new long[2];
      QueryExecution[] query = new QueryExecution[1];
      List<String> actual = runToEnd(cluster, clusterClock, QUERY, killAt, () -> {
        query[0] = cluster.driver().queries().iterator().next();
        if (checkpoint != null) {
          // the first checkpoint (batch 2) is durable before the kill; a later one may be too
          assertThat(query[0].awaitCheckpoint(2, 60_000)).isTrue();
        }
        beforeKill[0] = query[0].completedBatches();
        beforeKill[1] = query[0].checkpointedBatch();
        Process victim = workers.get(1);
        victim.destroyForcibly();  // SIGKILL
        victim.waitFor(30, TimeUnit.SECONDS);
        workers.add(worker("w4", port, SECRET, temp.resolve("w4.log")));
        return null;
      });
      assertThat(cluster.cluster().orElseThrow().workers()).doesNotContain("w2");
      return new FaultRun(expected, actual, beforeKill[0], beforeKill[1], query[0].recoveredBatches());
    }
  }
}
