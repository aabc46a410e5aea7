package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pull queries on a materialized view read whole batches: while the manual clock advances batch
 * by batch, reader threads run pull queries, and every total they read must be the total after
 * some whole batch (each batch changes every key, so a half-applied batch would show a total
 * between two of them).
 */
@Timeout(120)
class MaterializedViewConsistencyTest {
  private static final int BATCHES = 12;
  private static final int KEYS = 8;
  private static final int READERS = 3;

  @Test
  void everyPullQuerySeesTheViewAfterAWholeBatch() throws Exception {
    ManualClock clock = new ManualClock(0);
    try (Engine engine = new Engine(new EngineConfig(2, 2, 1000, clock))) {
      engine.execute("CREATE STREAM s (k BIGINT, v BIGINT) WITH (connector = 'memory')");
      engine.execute("CREATE MATERIALIZED VIEW per_key AS"
          + " SELECT STREAM k, SUM(v) AS total, COUNT(*) AS n FROM s GROUP BY k");
      // The state after each whole batch: total -> rows; batch 0 is the empty view.
      Map<Long, Long> valid = new HashMap<>();
      valid.put(0L, 0L);
      long total = 0;
      long rows = 0;
      List<String[]> feeds = new ArrayList<>();
      for (int b = 1; b <= BATCHES; b++) {
        List<String> feed = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
          for (int r = 0; r <= k; r++) {
            long v = b * 100L + k;
            feed.add(k + "," + v);
            total += v;
            rows++;
          }
        }
        feeds.add(feed.toArray(String[]::new));
        valid.put(total, rows);
      }

      AtomicBoolean done = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(READERS);
      List<Future<Integer>> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        readers.add(pool.submit(() -> {
          int reads = 0;
          // At least a few reads each, and until the writer is done.
          while (!done.get() || reads < 3) {
            StatementResult.RowSet r = (StatementResult.RowSet) engine.execute(
                "SELECT COALESCE(SUM(total), 0) AS t, COALESCE(SUM(n), 0) AS c, COUNT(*) AS keys FROM per_key");
            Object[] row = r.rows().get(0);
            long t = (Long) row[0];
            long c = (Long) row[1];
            assertThat(valid).as("a total after a whole batch").containsKey(t);
            assertThat(c).as("rows counted with total %d", t).isEqualTo(valid.get(t));
            assertThat((Long) row[2]).isIn(0L, (long) KEYS);
            reads++;
          }
          return reads;
        }));
      }
      QueryExecution q = engine.driver().queries().iterator().next();
      for (int b = 1; b <= BATCHES; b++) {
        engine.memoryLog("s").appendCsv(feeds.get(b - 1));
        clock.advance(1000);
        assertThat(q.awaitBatches(b, 30_000)).isTrue();
      }
      done.set(true);
      int reads = 0;
      for (Future<Integer> f : readers) {
        reads += f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(reads).isGreaterThanOrEqualTo(READERS * 3);

      StatementResult.RowSet last = (StatementResult.RowSet) engine.execute(
          "SELECT SUM(total) AS t, SUM(n) AS c FROM per_key");
      assertThat(last.rows().get(0)).containsExactly(total, rows);
      engine.execute("DROP MATERIALIZED VIEW per_key");
      assertThat(engine.driver().allocatedBytes()).isZero();
    }
  }
}
