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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops an engine running a windowed continuous query into a csv sink, starts a new engine on
 * the same checkpoint directory and checks that the sink got every batch exactly once: the
 * output files are those of a run without the restart.
 */
class RestartTest {
  private static final long INTERVAL = 1000;
  private static final long TIMEOUT = 60_000;
  private static final String QUERY_ID = "q1";

  @TempDir
  Path dir;

  private Path input;

  @BeforeEach
  void writeInput() throws Exception {
    // Three files, read 16 KB per batch: a few dozen batches, and positions in several files.
    Path all = dir.resolve("all.csv");
    ClusterEndToEndTest.writeBids(all, 9_000);
    List<String> lines = Files.readAllLines(all, StandardCharsets.UTF_8);
    input = Files.createDirectories(dir.resolve("in"));
    for (int f = 0; f < 3; f++) {
      Files.write(input.resolve("bids-" + f + ".csv"), lines.subList(f * 3_000, (f + 1) * 3_000),
          StandardCharsets.UTF_8);
    }
  }

  private String createBids() {
    return ClusterEndToEndTest.createBids("bids", input).replace("'64k'", "'16k'");
  }

  private static String createOut(Path out) {
    return "CREATE STREAM totals WITH (connector = 'csv', path = '" + out + "') AS SELECT STREAM auction,"
        + " COUNT(*) AS n, SUM(price) AS total, MAX(price) AS top, COUNT(DISTINCT bidder) AS bidders,"
        + " TUMBLE_END(date_time, INTERVAL '2' SECOND) AS window_end FROM bids"
        + " GROUP BY TUMBLE(date_time, INTERVAL '2' SECOND), auction";
  }

  private static Engine engine(ManualClock clock, Path checkpoints) {
    return new Engine(new EngineConfig(2, 2, INTERVAL, clock).withCheckpoint(new CheckpointConfig(checkpoints, 2)));
  }

  @Test
  void stoppedServerResumesEveryQueryAndTheSinkGetsEachBatchOnce() throws Exception {
    Map<String, String> expected = referenceRun();
    Path out = dir.resolve("out");
    Path checkpoints = dir.resolve("checkpoints");
    try (Engine first = engine(new ManualClock(0), checkpoints)) {
      first.execute(createBids());
      first.execute(createOut(out));
      runBatches(first, 7);
    }
    assertThat(files(out)).isNotEmpty().hasSizeLessThan(expected.size());

    Map<String, String> actual = resumeAndRunToEnd(checkpoints, out, 7);
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    assertThat(actual).isEqualTo(expected);
  }

  /**
   * A crash: the sink committed batch 5 but the metadata still says batch 4, and the checkpoint
   * of batch 5 was being written (no completion marker). Batch 5 is recomputed, its commit is
   * ignored by the sink, and the unfinished checkpoint is discarded and rewritten.
   */
  @Test
  void crashAfterTheSinkCommitBeforeTheMetadataWriteRepeatsNoBatch() throws Exception {
    Map<String, String> expected = referenceRun();
    Path out = dir.resolve("out");
    Path checkpoints = dir.resolve("checkpoints");
    Path metadata = checkpoints.resolve("_engine.json");
    Path saved = dir.resolve("saved-engine.json");
    try (Engine first = engine(new ManualClock(0), checkpoints)) {
      first.execute(createBids());
      first.execute(createOut(out));
      runBatches(first, 5);
      Files.copy(metadata, saved);
      runBatches(first, 6);
    }
    Files.copy(saved, metadata, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(checkpoints.resolve(QUERY_ID + "/batch-5/_COMPLETE"));

    Map<String, String> actual = resumeAndRunToEnd(checkpoints, out, 5);
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void droppedQueriesAreNotResumed() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    try (Engine first = engine(new ManualClock(0), checkpoints)) {
      first.execute(createBids());
      first.execute(createOut(dir.resolve("out")));
      first.execute("DROP STREAM totals");
      first.execute("CREATE STREAM sink2 WITH (connector = 'blackhole') AS SELECT STREAM auction FROM bids");
      first.execute("DROP QUERY q2");
    }
    try (Engine second = engine(new ManualClock(0), checkpoints)) {
      assertThat(second.catalog()).extracting(e -> e.name().toLowerCase()).containsExactly("bids", "sink2");
      assertThat(second.driver().queries()).isEmpty();
      second.execute("CREATE STREAM totals2 WITH (connector = 'blackhole') AS SELECT STREAM auction FROM bids");
      assertThat(second.driver().queries()).extracting(QueryExecution::id).containsExactly("q3");
    }
  }

  /**
   * A function created before a continuous query that calls it is in the restored catalog
   * before the query resumes; the sink's output is that of a run without the restart. A dropped
   * function stays dropped.
   */
  @Test
  void functionsAreRestoredAndAQueryCallingOneResumes() throws Exception {
    String createFunction = "CREATE FUNCTION bucket AS '" + io.dstream.sqltests.functions.Bucket.class.getName() + "'";
    String createOther = "CREATE FUNCTION ratio AS '" + io.dstream.sqltests.functions.Ratio.class.getName() + "'";
    java.util.function.Function<Path, String> createOut = out -> "CREATE STREAM buckets WITH (connector = 'csv',"
        + " path = '" + out + "') AS SELECT STREAM bucket(auction, 10) AS b, COUNT(*) AS n,"
        + " TUMBLE_END(date_time, INTERVAL '2' SECOND) AS window_end FROM bids"
        + " WHERE bucket(price, 100) > 1 GROUP BY TUMBLE(date_time, INTERVAL '2' SECOND), bucket(auction, 10)";
    Path referenceOut = dir.resolve("reference-out");
    try (Engine engine = engine(new ManualClock(0), dir.resolve("reference-checkpoints"))) {
      engine.execute(createBids());
      engine.execute(createFunction);
      engine.execute(createOut.apply(referenceOut));
      runToEnd(engine, engine.driver().query(QUERY_ID).orElseThrow());
    }
    Map<String, String> expected = files(referenceOut);
    assertThat(expected).hasSizeGreaterThan(10);

    Path out = dir.resolve("out");
    Path checkpoints = dir.resolve("checkpoints");
    try (Engine first = engine(new ManualClock(0), checkpoints)) {
      first.execute(createBids());
      first.execute(createFunction);
      first.execute(createOther);
      first.execute(createOut.apply(out));
      first.execute("DROP FUNCTION ratio");
      runBatches(first, 5);
    }
    assertThat(Files.readString(checkpoints.resolve("_engine.json"))).contains("CREATE FUNCTION bucket")
        .doesNotContain("ratio");
    try (Engine second = engine(new ManualClock(0), checkpoints)) {
      QueryExecution query = second.driver().query(QUERY_ID).orElseThrow();
      assertThat(query.completedBatches()).isEqualTo(5);
      runToEnd(second, query);
      var functions = (io.dstream.jdbcserver.engine.StatementResult.RowSet) second.execute("SHOW FUNCTIONS");
      assertThat(functions.rows()).filteredOn(r -> "USER".equals(r[1])).extracting(r -> r[0]).containsExactly("bucket");
    }
    assertThat(files(out)).isEqualTo(expected);
  }

  /** The output files of the query run to its end without a restart, by name. */
  private Map<String, String> referenceRun() throws Exception {
    Path out = dir.resolve("reference-out");
    try (Engine engine = engine(new ManualClock(0), dir.resolve("reference-checkpoints"))) {
      engine.execute(createBids());
      engine.execute(createOut(out));
      QueryExecution query = engine.driver().query(QUERY_ID).orElseThrow();
      runToEnd(engine, query);
      assertThat(query.completedBatches()).isGreaterThan(20);
    }
    Map<String, String> files = files(out);
    assertThat(files).hasSizeGreaterThan(10);
    return files;
  }

  private Map<String, String> resumeAndRunToEnd(Path checkpoints, Path out, long resumedAt) throws Exception {
    ManualClock clock = new ManualClock(0);
    long startNanos = System.nanoTime();
    try (Engine second = engine(clock, checkpoints)) {
      QueryExecution query = second.driver().query(QUERY_ID).orElseThrow();
      assertThat(query.completedBatches()).isEqualTo(resumedAt);
      clock.advance(INTERVAL);
      assertThat(query.awaitBatches(resumedAt + 1, TIMEOUT)).isTrue();
      long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      System.out.printf("RestartTest: new Engine -> first batch (%d) processed: %d ms (query: %d ms)%n",
          resumedAt, restartMillis, query.resumeToFirstBatchMillis());
      assertThat(query.resumeToFirstBatchMillis()).isBetween(0L, restartMillis);
      runToEnd(second, query);
      // new queries do not take the id of a resumed one
      second.execute("CREATE STREAM other WITH (connector = 'blackhole') AS SELECT STREAM auction FROM bids");
      assertThat(second.driver().queries()).extracting(QueryExecution::id).contains("q2");
    }
    return files(out);
  }

  private static void runBatches(Engine engine, long count) throws InterruptedException {
    QueryExecution query = engine.driver().query(QUERY_ID).orElseThrow();
    while (query.completedBatches() < count) {
      long next = query.completedBatches() + 1;
      ((ManualClock) engine.config().clock()).advance(INTERVAL);
      assertThat(query.awaitBatches(next, TIMEOUT)).isTrue();
      if ((next - 1) % 2 == 1) {
        // the checkpoint of every odd batch is durable before the next batch: deterministic files
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

  /** The csv files of a sink directory by name, in name order; no temporary file may be left. */
  private static Map<String, String> files(Path directory) throws Exception {
    Map<String, String> files = new java.util.LinkedHashMap<>();
    try (Stream<Path> entries = Files.list(directory)) {
      List<Path> sorted = new ArrayList<>(entries.sorted().toList());
      for (Path file : sorted) {
        assertThat(file.getFileName().toString()).matches("batch-\\d{12}\\.csv");
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return files;
  }
}
