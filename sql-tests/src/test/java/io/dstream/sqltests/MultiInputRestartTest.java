package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.QueryState;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A continuous query over two streams (a windowed GROUP BY over a UNION ALL, an interval join)
 * into a csv sink survives an engine restart: each input resumes from its own position with its
 * own watermark, the state is rebuilt from the checkpoint plus the lineage of splits per input,
 * and the sink's files equal those of a run without the restart.
 */
class MultiInputRestartTest {
  private static final long INTERVAL = 1000;
  private static final long TIMEOUT = 60_000;
  private static final String QUERY_ID = "q1";

  @TempDir
  Path dir;

  private Path first;
  private Path second;

  @BeforeEach
  void writeInputs() throws Exception {
    Path all = dir.resolve("all.csv");
    ClusterEndToEndTest.writeBids(all, 9_000);
    List<String> lines = Files.readAllLines(all, StandardCharsets.UTF_8);
    first = Files.createDirectories(dir.resolve("in"));
    second = Files.createDirectories(dir.resolve("in2"));
    for (int f = 0; f < 3; f++) {
      Files.write(first.resolve("bids-" + f + ".csv"), lines.subList(f * 3_000, (f + 1) * 3_000),
          StandardCharsets.UTF_8);
    }
    // The second stream: every third row, with another price, in two files.
    List<String> other = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += 3) {
      String[] f = lines.get(i).split(",", -1);
      f[2] = Integer.toString(i);
      other.add(String.join(",", f));
    }
    Files.write(second.resolve("b-0.csv"), other.subList(0, 1_500), StandardCharsets.UTF_8);
    Files.write(second.resolve("b-1.csv"), other.subList(1_500, other.size()), StandardCharsets.UTF_8);
  }

  private static String query(String kind, Path out) {
    String select = kind.equals("union")
        ? "SELECT STREAM auction, COUNT(*) AS n, SUM(price) AS total, TUMBLE_END(date_time, INTERVAL '2' SECOND)"
            + " AS window_end FROM (SELECT STREAM auction, price, date_time FROM bids UNION ALL"
            + " SELECT STREAM auction, price, date_time FROM bids2) GROUP BY TUMBLE(date_time, INTERVAL '2' SECOND),"
            + " auction"
        : "SELECT STREAM a.auction, a.price, b.price AS price2, a.date_time, b.date_time AS time2 FROM bids a"
            + " JOIN bids2 b ON a.auction = b.auction"
            + " AND a.date_time BETWEEN b.date_time - INTERVAL '1' SECOND AND b.date_time + INTERVAL '1' SECOND";
    return "CREATE STREAM results WITH (connector = 'csv', path = '" + out + "') AS " + select;
  }

  private void create(Engine engine, String kind, Path out) {
    engine.execute(ClusterEndToEndTest.createBids("bids", first).replace("'64k'", "'16k'"));
    engine.execute(ClusterEndToEndTest.createBids("bids2", second).replace("'64k'", "'8k'")
        .replace("INTERVAL '4' SECOND", "INTERVAL '3' SECOND"));
    engine.execute(query(kind, out));
  }

  private static Engine engine(ManualClock clock, Path checkpoints) {
    return new Engine(new EngineConfig(2, 2, INTERVAL, clock).withCheckpoint(new CheckpointConfig(checkpoints, 2)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"union", "join"})
  void stoppedServerResumesTheQueryAndTheSinkGetsEachBatchOnce(String kind) throws Exception {
    Path referenceOut = dir.resolve("reference-out");
    try (Engine engine = engine(new ManualClock(0), dir.resolve("reference-checkpoints"))) {
      create(engine, kind, referenceOut);
      QueryExecution query = engine.driver().query(QUERY_ID).orElseThrow();
      runToEnd(engine, query);
      assertThat(query.completedBatches()).isGreaterThan(20);
    }
    Map<String, String> expected = files(referenceOut);
    assertThat(expected).hasSizeGreaterThan(10);

    Path out = dir.resolve("out");
    Path checkpoints = dir.resolve("checkpoints");
    try (Engine engine = engine(new ManualClock(0), checkpoints)) {
      create(engine, kind, out);
      runBatches(engine, 7);
    }
    assertThat(files(out)).isNotEmpty().hasSizeLessThan(expected.size());
    try (Engine engine = engine(new ManualClock(0), checkpoints)) {
      QueryExecution query = engine.driver().query(QUERY_ID).orElseThrow();
      assertThat(query.completedBatches()).isEqualTo(7);
      runToEnd(engine, query);
      assertThat(query.lateRows()).isZero();
    }
    Map<String, String> actual = files(out);
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    assertThat(actual).isEqualTo(expected);
  }

  private static void runBatches(Engine engine, long count) throws InterruptedException {
    QueryExecution query = engine.driver().query(QUERY_ID).orElseThrow();
    while (query.completedBatches() < count) {
      long next = query.completedBatches() + 1;
      ((ManualClock) engine.config().clock()).advance(INTERVAL);
      assertThat(query.awaitBatches(next, TIMEOUT)).isTrue();
      if ((next - 1) % 2 == 1) {
        assertThat(query.awaitCheckpoint(next - 1, TIMEOUT)).isTrue();
      }
    }
  }

  private static void runToEnd(Engine engine, QueryExecution query) throws InterruptedException {
    ManualClock clock = (ManualClock) engine.config().clock();
    for (int i = 0; i < 10_000 && query.state() == QueryState.RUNNING; i++) {
      long next = query.completedBatches() + 1;
      clock.advance(INTERVAL);
      query.awaitBatches(next, TIMEOUT);
    }
    assertThat(query.awaitTermination(TIMEOUT)).isTrue();
    assertThat(query.state()).isEqualTo(QueryState.FINISHED);
  }

  private static Map<String, String> files(Path directory) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path file : entries.sorted().toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return files;
  }
}
