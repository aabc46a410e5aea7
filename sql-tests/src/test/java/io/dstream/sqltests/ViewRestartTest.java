package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.QueryState;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A materialized view survives an engine restart: the restarted engine lists it again and re-runs
 * its query from the start of its (replayable, csv) input, so the view, run to the input's end,
 * holds exactly what it holds in a run without the restart.
 */
@Timeout(120)
class ViewRestartTest {
  private static final long INTERVAL = 1000;
  private static final String VIEW = "CREATE MATERIALIZED VIEW per_auction AS SELECT STREAM auction,"
      + " COUNT(*) AS n, SUM(price) AS total, MAX(price) AS top FROM bids GROUP BY auction";
  private static final String PULL = "SELECT auction, n, total, top FROM per_auction ORDER BY auction";

  @TempDir
  Path dir;

  @Test
  void aRestartedEngineRebuildsTheViewFromItsInput() throws Exception {
    Path input = dir.resolve("bids.csv");
    ClusterEndToEndTest.writeBids(input, 6_000);
    List<String> expected;
    try (Engine engine = engine(dir.resolve("reference"))) {
      engine.execute(ClusterEndToEndTest.createBids("bids", input).replace("'64k'", "'16k'"));
      engine.execute(VIEW);
      runToEnd(engine, Long.MAX_VALUE);
      expected = pull(engine);
    }
    assertThat(expected).hasSize(50);

    Path checkpoints = dir.resolve("checkpoints");
    List<String> before;
    try (Engine engine = engine(checkpoints)) {
      engine.execute(ClusterEndToEndTest.createBids("bids", input).replace("'64k'", "'16k'"));
      engine.execute(VIEW);
      runToEnd(engine, 5);
      before = pull(engine);
    }
    assertThat(before).isNotEmpty().isNotEqualTo(expected);
    try (Engine engine = engine(checkpoints)) {
      StatementResult.RowSet views = (StatementResult.RowSet) engine.execute("SHOW VIEWS");
      assertThat(views.rows()).hasSize(1);
      assertThat(views.rows().get(0)[0]).isEqualTo("per_auction");
      runToEnd(engine, Long.MAX_VALUE);
      assertThat(pull(engine)).isEqualTo(expected);
      engine.execute("DROP MATERIALIZED VIEW per_auction");
      assertThat(engine.driver().allocatedBytes()).isZero();
    }
  }

  private static Engine engine(Path checkpoints) {
    return new Engine(new EngineConfig(2, 2, INTERVAL, new ManualClock(0))
        .withCheckpoint(new CheckpointConfig(checkpoints, 2)));
  }

  /** Cuts batches until the view's query has completed {@code batches} or its input ended. */
  private static void runToEnd(Engine engine, long batches) throws InterruptedException {
    QueryExecution query = engine.driver().queries().iterator().next();
    ManualClock clock = (ManualClock) engine.config().clock();
    while (query.state() == QueryState.RUNNING && query.completedBatches() < batches) {
      long next = query.completedBatches() + 1;
      clock.advance(INTERVAL);
      query.awaitBatches(next, 60_000);
    }
    if (batches == Long.MAX_VALUE) {
      assertThat(query.awaitTermination(60_000)).isTrue();
      assertThat(query.state()).isEqualTo(QueryState.FINISHED);
    }
  }

  private static List<String> pull(Engine engine) {
    List<String> rows = new ArrayList<>();
    for (Object[] row : ((StatementResult.RowSet) engine.execute(PULL)).rows()) {
      rows.add(Arrays.toString(row));
    }
    return rows;
  }
}
