package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.source.MemoryLog;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * State cleanup: over an endless stream (300 batches, 20 keys, 300 seconds of event time), the
 * keyed state of windowed queries stays bounded, because the watermark drops what no row can
 * reach any more: closed windows, panes whose last window closed, ended sessions.
 */
class StateBoundedTest {
  private static final long INTERVAL = 1000;
  private static final int KEYS = 20;
  private static final int BATCHES = 300;

  private final ManualClock clock = new ManualClock(0);
  private Engine engine;

  @BeforeEach
  void start() {
    engine = new Engine(new EngineConfig(2, 1, INTERVAL, clock));
    engine.execute("CREATE STREAM s (k BIGINT, v BIGINT, t TIMESTAMP(3),"
        + " WATERMARK FOR t AS t - INTERVAL '1' SECOND) WITH (connector = 'memory')");
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "tumble|SELECT STREAM k, TUMBLE_END(t, INTERVAL '5' SECOND) AS we, COUNT(*) AS n FROM s"
          + " GROUP BY TUMBLE(t, INTERVAL '5' SECOND), k|60",
      "hop (incremental panes)|SELECT STREAM k, HOP_END(t, INTERVAL '2' SECOND, INTERVAL '10' SECOND) AS we,"
          + " SUM(v) AS total, MAX(v) AS hi FROM s GROUP BY HOP(t, INTERVAL '2' SECOND, INTERVAL '10' SECOND), k|160",
      "tumble changelog|SELECT STREAM k, TUMBLE_START(t, INTERVAL '5' SECOND) AS ws, COUNT(*) AS n FROM s"
          + " GROUP BY TUMBLE(t, INTERVAL '5' SECOND), k EMIT CHANGES|60",
      "session|SELECT STREAM k, SESSION_END(t, INTERVAL '2' SECOND) AS se, COUNT(*) AS n FROM s"
          + " GROUP BY SESSION(t, INTERVAL '2' SECOND), k|60",
      "changelog without a window (one group per key)|SELECT STREAM k, COUNT(*) AS n FROM s GROUP BY k"
          + " EMIT CHANGES|20"})
  void stateStaysBoundedOverManyWindows(String name, String sql, long bound) throws Exception {
    StatementResult.PushStream push = (StatementResult.PushStream) engine.execute(sql);
    try {
      QueryExecution query = engine.driver().queries().iterator().next();
      MemoryLog log = engine.memoryLog("s");
      long maxFirstHalf = 0;
      long maxSecondHalf = 0;
      long rows = 0;
      for (int b = 0; b < BATCHES; b++) {
        List<Object[]> batch = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
          // Each key is active 4 seconds out of 8, so that its sessions end.
          if (((b + k) / 4) % 2 == 0) {
            batch.add(new Object[] {(long) k, (long) (b * k % 97), b * INTERVAL + k * 10L});
          }
        }
        log.append(batch);
        long completed = query.completedBatches();
        clock.advance(INTERVAL);
        assertThat(query.awaitBatches(completed + 1, 30_000)).as("batch %d of %s", b, name).isTrue();
        rows += push.poll(Integer.MAX_VALUE, 0).rows().size();
        if (b < BATCHES / 2) {
          maxFirstHalf = Math.max(maxFirstHalf, query.stateRows());
        } else {
          maxSecondHalf = Math.max(maxSecondHalf, query.stateRows());
        }
      }
      System.out.println("state rows of " + name + ": at most " + maxFirstHalf + " in batches 0-149, "
          + maxSecondHalf + " in batches 150-299; " + rows + " rows emitted");
      assertThat(rows).as("rows emitted by %s", name).isPositive();
      assertThat(maxSecondHalf).as("state rows of %s in the second half", name).isLessThanOrEqualTo(bound)
          .isLessThanOrEqualTo(maxFirstHalf);
      assertThat(maxFirstHalf).as("state rows of %s in the first half", name).isPositive();
    } finally {
      push.close();
    }
  }
}
