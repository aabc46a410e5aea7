package io.dstream.sqltests;

import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.time.ManualClock;
import io.dstream.jdbcserver.engine.Engine;
import java.util.HashMap;
import java.util.Map;

/** Test helper: cuts one batch on a manual clock and waits until every running query completed it. */
final class Batches {
  private Batches() {}

  /**
   * Moves {@code clock} by {@code intervalMillis} and waits for each query's next batch. The counts
   * are taken before the clock moves, or a fast query's batch would be waited for twice.
   */
  static void next(Engine engine, ManualClock clock, long intervalMillis) throws InterruptedException {
    Map<QueryExecution, Long> done = new HashMap<>();
    for (QueryExecution q : engine.driver().queries()) {
      done.put(q, q.completedBatches());
    }
    clock.advance(intervalMillis);
    for (Map.Entry<QueryExecution, Long> q : done.entrySet()) {
      assertThat(q.getKey().awaitBatches(q.getValue() + 1, 30_000)).as("batch of " + q.getKey().id()).isTrue();
    }
  }
}
