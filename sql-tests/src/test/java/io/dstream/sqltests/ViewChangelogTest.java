package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import io.dstream.jdbcserver.meta.JdbcServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code SELECT STREAM ... FROM view}: a subscription to a materialized view's changelog. Applying
 * the subscription's changes in order must give, after every batch, exactly what a pull query on
 * the view returns then; a subscriber that joins
 * later starts from the view's rows at that moment. A subscriber that reads too slowly loses its
 * subscription, never the view or other subscribers.
 */
@Timeout(120)
class ViewChangelogTest {
  private static final int BATCHES = 10;
  private static final int KEYS = 20;

  @Test
  void appliedChangelogEqualsThePullQueryAfterEveryBatch() throws Exception {
    ManualClock clock = new ManualClock(0);
    try (Engine engine = new Engine(new EngineConfig(2, 1, 1000, clock))) {
      engine.execute("CREATE STREAM s (k BIGINT, v BIGINT) WITH (connector = 'memory')");
      // HAVING makes groups enter (+I) and leave (-D) the view as well as change (-U/+U).
      engine.execute("CREATE MATERIALIZED VIEW per_key AS SELECT STREAM k, COUNT(*) AS n, SUM(v) AS total"
          + " FROM s GROUP BY k HAVING SUM(v) > 0");
      StatementResult.PushStream all = (StatementResult.PushStream) engine.execute("SELECT STREAM * FROM per_key");
      assertThat(all.columns().columns()).extracting(c -> c.name()).containsExactly("op", "k", "n", "total");
      StatementResult.PushStream filtered = null;

      Map<List<Object>, Integer> allState = new HashMap<>();
      Map<List<Object>, Integer> filteredState = new HashMap<>();
      int[] ops = new int[4];
      int[] filteredOps = new int[4];
      Random random = new Random(7);
      QueryExecution view = engine.driver().queries().iterator().next();
      for (int b = 1; b <= BATCHES; b++) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          rows.add(random.nextInt(KEYS) + "," + (random.nextInt(41) - 20));
        }
        engine.memoryLog("s").appendCsv(rows.toArray(String[]::new));
        clock.advance(1000);
        assertThat(view.awaitBatches(b, 30_000)).isTrue();
        if (b == 4) {
          // A later subscriber starts from the view as it is now.
          filtered = (StatementResult.PushStream) engine.execute(
              "SELECT STREAM k, total AS t FROM per_key WHERE total > 30");
        }
        // A batch's changes are buffered before the batch completes, so the stream holds them all now.
        drain(all, allState, ops);
        assertThat(allState).as("batch %d", b).isEqualTo(pull(engine, "SELECT k, n, total FROM per_key"));
        if (filtered != null) {
          drain(filtered, filteredState, filteredOps);
          assertThat(filteredState).as("batch %d, filtered", b)
              .isEqualTo(pull(engine, "SELECT k, total FROM per_key WHERE total > 30"));
        }
      }
      // Every kind of change happened, so the checks above covered them all.
      assertThat(ops).as("+I, -U, +U, -D counts").doesNotContain(0);
      assertThat(filteredOps[0] + filteredOps[2]).isPositive();

      // Dropping the view ends the subscriptions, with no change left over.
      engine.execute("DROP MATERIALIZED VIEW per_key");
      assertThat(all.poll(100, 10_000)).satisfies(p -> {
        assertThat(p.rows()).isEmpty();
        assertThat(p.done()).isTrue();
      });
      assertThat(filtered.poll(100, 10_000).done()).isTrue();
      all.close();
      filtered.close();
      assertThat(engine.driver().allocatedBytes()).isZero();
    }
  }

  /**
   * The same through the real server and the {@code jdbc:dstream:} driver: after each batch the
   * client reads changes until its state equals the pull query's. Avatica's plain driver reads one
   * row ahead, so a batch's last change would reach {@code next()} only with the next batch and
   * this would wait forever; the DStream driver hands over each row as it arrives.
   */
  @Test
  void throughTheDStreamDriverEveryChangeArrivesWithoutWaitingForTheNextBatch() throws Exception {
    ManualClock clock = new ManualClock(0);
    try (Engine engine = new Engine(new EngineConfig(2, 1, 1000, clock));
        JdbcServer server = JdbcServer.start(engine, "127.0.0.1", 0);
        Connection pulls = DriverManager.getConnection(server.driverUrl());
        Connection subscriber = DriverManager.getConnection(server.driverUrl())) {
      try (Statement s = pulls.createStatement()) {
        s.execute("CREATE STREAM s (k BIGINT, v BIGINT) WITH (connector = 'memory')");
        s.execute("CREATE MATERIALIZED VIEW per_key AS SELECT STREAM k, COUNT(*) AS n, SUM(v) AS total"
            + " FROM s GROUP BY k HAVING SUM(v) > 0");
      }
      try (Statement statement = subscriber.createStatement();
          // Returns before any row exists: the view is empty until the first batch.
          ResultSet changes = statement.executeQuery("SELECT STREAM * FROM per_key WHERE n > 1")) {
        ResultSetMetaData md = changes.getMetaData();
        assertThat(md.getColumnCount()).isEqualTo(4);
        assertThat(md.getColumnLabel(1)).isEqualTo("op");
        assertThat(md.getColumnLabel(4)).isEqualToIgnoringCase("total");
        Map<List<Object>, Integer> state = new HashMap<>();
        int[] ops = new int[4];
        Random random = new Random(11);
        QueryExecution view = engine.driver().queries().iterator().next();
        for (int b = 1; b <= 6; b++) {
          List<String> rows = new ArrayList<>();
          for (int i = 0; i < 100; i++) {
            rows.add(random.nextInt(KEYS) + "," + (random.nextInt(41) - 20));
          }
          engine.memoryLog("s").appendCsv(rows.toArray(String[]::new));
          clock.advance(1000);
          assertThat(view.awaitBatches(b, 30_000)).isTrue();
          Map<List<Object>, Integer> expected = pull(engine, "SELECT k, n, total FROM per_key WHERE n > 1");
          while (!state.equals(expected)) {
            assertThat(changes.next()).isTrue();
            apply(state, new Object[] {changes.getString(1), changes.getLong(2), changes.getLong(3),
                changes.getLong(4)}, ops);
          }
        }
        assertThat(ops[0] + ops[2]).isPositive();
        try (Statement s = pulls.createStatement()) {
          s.execute("DROP MATERIALIZED VIEW per_key");
        }
        assertThat(changes.next()).isFalse();
      }
      assertThat(engine.driver().allocatedBytes()).isZero();
    }
  }

  /** Applies every change the stream holds now. */
  private static void drain(StatementResult.PushStream stream, Map<List<Object>, Integer> state, int[] ops)
      throws InterruptedException {
    while (true) {
      StatementResult.Polled polled = stream.poll(1000, 0);
      if (polled.rows().isEmpty()) {
        return;
      }
      for (Object[] row : polled.rows()) {
        apply(state, row, ops);
      }
    }
  }

  private static Map<List<Object>, Integer> pull(Engine engine, String sql) {
    Map<List<Object>, Integer> rows = new HashMap<>();
    for (Object[] row : ((StatementResult.RowSet) engine.execute(sql)).rows()) {
      rows.merge(Arrays.asList(row), 1, Integer::sum);
    }
    return rows;
  }

  @Test
  void aSlowSubscriberLosesOnlyItsOwnSubscription() throws Exception {
    ManualClock clock = new ManualClock(0);
    try (Engine engine = new Engine(new EngineConfig(2, 1, 1000, clock).withPushBufferRows(50))) {
      engine.execute("CREATE STREAM s (k BIGINT, v BIGINT) WITH (connector = 'memory')");
      engine.execute("CREATE MATERIALIZED VIEW per_key AS SELECT STREAM k, SUM(v) AS total FROM s GROUP BY k");
      StatementResult.PushStream slow = (StatementResult.PushStream) engine.execute("SELECT STREAM * FROM per_key");
      StatementResult.PushStream reader = (StatementResult.PushStream) engine.execute(
          "SELECT STREAM * FROM per_key WHERE k < 5");
      QueryExecution view = engine.driver().queries().iterator().next();
      long expectedTotal = 0;
      List<Object[]> read = new ArrayList<>();
      for (int b = 1; b <= 3; b++) {
        List<String> rows = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
          rows.add(k + "," + b);
          expectedTotal += b;
        }
        engine.memoryLog("s").appendCsv(rows.toArray(String[]::new));
        clock.advance(1000);
        assertThat(view.awaitBatches(b, 30_000)).isTrue();
        // The reader keeps up; the slow one never reads (20, then 40 more changes: over 50).
        read.addAll(reader.poll(1000, 10_000).rows());
      }
      assertThatThrownBy(() -> slow.poll(1000, 10_000))
          .isInstanceOf(EngineException.class)
          .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
          .hasMessageContaining("read too slowly");
      // The view went on: every batch is in it, and the other subscriber got all its changes.
      StatementResult.RowSet sum = (StatementResult.RowSet) engine.execute("SELECT SUM(total) FROM per_key");
      assertThat(sum.rows().get(0)[0]).isEqualTo(expectedTotal);
      Map<List<Object>, Integer> state = new HashMap<>();
      for (Object[] row : read) {
        apply(state, row, new int[4]);
      }
      assertThat(new TreeMap<>(toTotals(state))).isEqualTo(Map.of(0L, 6L, 1L, 6L, 2L, 6L, 3L, 6L, 4L, 6L));
      slow.close();
      reader.close();
      engine.execute("DROP MATERIALIZED VIEW per_key");
      assertThat(engine.driver().allocatedBytes()).isZero();
    }
  }


  private static Map<Long, Long> toTotals(Map<List<Object>, Integer> state) {
    Map<Long, Long> totals = new HashMap<>();
    state.forEach((row, count) -> totals.put((Long) row.get(0), (Long) row.get(1)));
    return totals;
  }


  private static void apply(Map<List<Object>, Integer> state, Object[] row, int[] ops) {
    String op = (String) row[0];
    List<Object> values = new ArrayList<>();
    for (int c = 1; c < row.length; c++) {
      values.add(row[c] instanceof Number n ? (Object) n.longValue() : row[c]);
    }
    switch (op) {
      case "+I" -> ops[0]++;
      case "-U" -> ops[1]++;
      case "+U" -> ops[2]++;
      case "-D" -> ops[3]++;
      default -> throw new AssertionError("unknown op " + op);
    }
    if (op.startsWith("+")) {
      state.merge(values, 1, Integer::sum);
    } else {
      Integer count = state.get(values);
      assertThat(count).as("a delete of a row the subscriber holds: %s", values).isNotNull();
      if (count == 1) {
        state.remove(values);
      } else {
        state.put(values, count - 1);
      }
    }
  }

}
