package io.dstream.sqltests.differential;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.QueryState;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.jdbcserver.engine.Engine;
import io.dstream.jdbcserver.engine.EngineConfig;
import io.dstream.jdbcserver.engine.StatementResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An embedded engine on a manual clock that runs one push query at a time over a bounded input
 * to its end, advancing the clock one batch interval at a time (no sleeps).
 */
final class EngineRunner implements AutoCloseable {
  static final long INTERVAL = 1000;
  /** Far more batches than any input here needs: a query still running then is stuck. */
  private static final int MAX_BATCHES = 20_000;

  private final ManualClock clock = new ManualClock(0);
  final Engine engine = new Engine(new EngineConfig(2, 1, INTERVAL, clock));

  /** The complete output of a push query and what the engine counted while running it. */
  record Output(RowType columns, List<Object[]> rows, long lateRows, long batches) {}

  void createStream(String name, BidInput input) {
    createStream(name, input, BidInput.DELAY_SECONDS);
  }

  void createStream(String name, BidInput input, int delaySeconds) {
    engine.execute("CREATE STREAM " + name + " (" + BidInput.COLUMNS + ", WATERMARK FOR date_time AS date_time"
        + " - INTERVAL '" + delaySeconds + "' SECOND) WITH (connector = 'csv', path = '"
        + input.path.toAbsolutePath() + "', batch.bytes = '" + input.batchBytes + "')");
  }

  Output run(String sql) throws InterruptedException {
    List<String> before = engine.driver().queries().stream().map(QueryExecution::id).toList();
    if (!before.isEmpty()) {
      throw new IllegalStateException("queries still running: " + before);
    }
    StatementResult result = engine.execute(sql);
    if (!(result instanceof StatementResult.PushStream push)) {
      throw new IllegalStateException("not a push query: " + result);
    }
    try {
      List<QueryExecution> queries = List.copyOf(engine.driver().queries());
      if (queries.size() != 1) {
        throw new IllegalStateException("expected one running query, found " + queries.size());
      }
      QueryExecution query = queries.get(0);
      List<Object[]> rows = new ArrayList<>();
      for (int batch = 0; ; batch++) {
        StatementResult.Polled polled = push.poll(Integer.MAX_VALUE, 0);
        rows.addAll(polled.rows());
        if (polled.done()) {
          // The query's thread frees its blocks and join tables after the stream ends: wait for
          // it, so that the caller's allocator check sees the engine at rest.
          if (!query.awaitTermination(30_000)) {
            throw new AssertionError("query " + query.id() + " ended but its thread did not stop in 30 s");
          }
          return new Output(push.columns(), rows, query.lateRows(), query.completedBatches());
        }
        if (query.state() != QueryState.RUNNING) {
          // The sink learns of the end just after the last batch completes: wait for it.
          polled = push.poll(Integer.MAX_VALUE, 10_000);
          rows.addAll(polled.rows());
          if (!polled.done() && polled.rows().isEmpty()) {
            throw new AssertionError("query " + query.id() + " is " + query.state()
                + " but its push stream did not end", query.failure());
          }
          continue;
        }
        if (batch > MAX_BATCHES) {
          throw new AssertionError("query did not end after " + MAX_BATCHES + " batches");
        }
        long completed = query.completedBatches();
        clock.advance(INTERVAL);
        if (!query.awaitBatches(completed + 1, 30_000) && query.state() == QueryState.RUNNING) {
          throw new AssertionError("query " + query.id() + " did not complete a batch in 30 s");
        }
      }
    } finally {
      push.close();
    }
  }

  /** Arrow buffers still allocated by the engine's driver (should be none between queries). */
  long allocatedBytes() {
    return engine.driver().allocatedBytes();
  }

  static boolean isTimestamp(DataType type) {
    return type.kind() == DataType.Kind.TIMESTAMP;
  }

  static String describe(RowType columns) {
    return Arrays.toString(columns.columns().stream().map(c -> c.name() + " " + c.type().sqlName()).toArray());
  }

  @Override
  public void close() {
    for (QueryExecution q : engine.driver().queries()) {
      engine.driver().stop(q.id());
    }
    engine.close();
  }
}
