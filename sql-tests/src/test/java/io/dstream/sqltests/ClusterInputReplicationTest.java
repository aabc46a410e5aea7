package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.source.MemoryLog;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Input nobody can replay (INSERT INTO a memory stream) is stored on two of three real worker
 * processes before the INSERT returns: killing one of those workers loses no row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ClusterInputReplicationTest {
  private static final String SECRET = "test-secret";

  private Path temp;
  private Engine cluster;
  private final Map<String, Process> workers = new LinkedHashMap<>();

  @BeforeAll
  void startCluster() throws Exception {
    temp = Files.createTempDirectory("dstream-replication-test");
    EngineConfig config = new EngineConfig(1, 1, 1000, new ManualClock(0))
        .withCluster(new EngineConfig.Cluster("127.0.0.1", 0, SECRET));
    cluster = new Engine(config);
    int port = cluster.cluster().orElseThrow().port();
    for (int i = 1; i <= 3; i++) {
      workers.put("w" + i, WorkerProcesses.start("w" + i, port, SECRET, temp.resolve("w" + i + ".log")));
    }
    assertThat(cluster.cluster().orElseThrow().awaitWorkers(3, 120_000)).as("3 workers joined").isTrue();
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    for (Process p : workers.values()) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(temp)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void insertedRowsSurviveTheLossOfAWorkerHoldingThem() throws Exception {
    ManualClock clock = (ManualClock) cluster.config().clock();
    cluster.execute("CREATE STREAM clicks (id BIGINT, name VARCHAR) WITH (connector = 'memory')");
    StatementResult.PushStream push =
        (StatementResult.PushStream) cluster.execute("SELECT STREAM id, UPPER(name) AS name FROM clicks");
    try (push) {
      cluster.execute("INSERT INTO clicks VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      cluster.execute("INSERT INTO clicks VALUES (4, 'd'), (5, 'e')");

      MemoryLog log = cluster.memoryLog("clicks");
      List<MemoryLog.InputBlock> blocks = log.inputBlocks(0, log.end());
      assertThat(blocks).hasSize(2);
      assertThat(blocks).allSatisfy(b -> assertThat(b.replicas()).hasSize(2).doesNotHaveDuplicates());
      String victim = blocks.get(0).replicas().get(0);
      Process process = workers.get(victim);
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

      clock.advance(1000);
      for (QueryExecution q : cluster.driver().queries()) {
        assertThat(q.awaitBatches(1, 120_000)).as("batch 1 completed").isTrue();
      }
      List<String> rows = new ArrayList<>();
      StatementResult.Polled polled;
      do {
        polled = push.poll(100_000, 0);
        for (Object[] row : polled.rows()) {
          rows.add(GoldenScript.format(push.columns(), row));
        }
      } while (!polled.rows().isEmpty());
      assertThat(rows).hasSize(5);
      assertThat(String.join("\n", rows)).contains("A", "B", "C", "D", "E");
    }
  }

  @Test
  void linesOfASocketStreamAreReplicatedAndReadByWorkers() throws Exception {
    ManualClock clock = (ManualClock) cluster.config().clock();
    cluster.execute("CREATE STREAM lines (id BIGINT, name VARCHAR) WITH (connector = 'socket', port = '0')");
    int port = cluster.socketReceiver("lines").port();
    StatementResult.PushStream push =
        (StatementResult.PushStream) cluster.execute("SELECT STREAM id * 10 AS id, name FROM lines");
    try (push) {
      MemoryLog log = cluster.socketReceiver("lines").log();
      long start = log.end();
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        socket.getOutputStream().write("7,x\n8,y\n9,z\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        assertThat(log.awaitEnd(start + 3, 60_000)).as("3 lines received and replicated").isTrue();
      }
      assertThat(log.inputBlocks(start, log.end()))
          .allSatisfy(b -> assertThat(b.replicas()).hasSize(2).doesNotHaveDuplicates());
      long done = cluster.driver().queries().stream().filter(q -> q.sql().contains("FROM lines"))
          .findFirst().orElseThrow().completedBatches();
      clock.advance(1000);
      for (QueryExecution q : cluster.driver().queries()) {
        if (q.sql().contains("FROM lines")) {
          assertThat(q.awaitBatches(done + 1, 120_000)).isTrue();
        }
      }
      List<String> rows = new ArrayList<>();
      StatementResult.Polled polled;
      do {
        polled = push.poll(100_000, 0);
        for (Object[] row : polled.rows()) {
          rows.add(GoldenScript.format(push.columns(), row));
        }
      } while (!polled.rows().isEmpty());
      assertThat(rows).containsExactlyInAnyOrder("70,x", "80,y", "90,z");
    }
  }
}
