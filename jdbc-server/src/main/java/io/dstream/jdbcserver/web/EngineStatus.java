package io.dstream.jdbcserver.web;

import io.dstream.executor.scheduler.BatchStats;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.jdbcserver.engine.Engine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One consistent-enough reading of the engine for the web pages: its queries with their counters
 * and recent batches, its materialized views, and its workers. Serialized as is by {@code GET /api/queries}.
 */
record EngineStatus(long batchIntervalMillis, List<Worker> workers, List<Query> queries, List<View> views) {
  /** How far back the plots reach, in batch time. */
  static final long WINDOW_MILLIS = 5 * 60_000L;

  /**
   * A materialized view: its query, last completed batch (-1: none yet), rows, subscribers and
   * state (RUNNING, FINISHED, or FAILED: the reason).
   */
  record View(String name, String query, long lastBatch, long batchTime, long rows, int subscribers, String state) {}

  /** A worker the driver can reach now (the transports list live workers only). */
  record Worker(String id, String state) {}

  /** One query: its counters and its batches of the last {@link #WINDOW_MILLIS}. */
  record Query(String id, String state, String sql, long batches, long inputRows, long outputRows,
      long lateRows, long skippedRows, long stateRows, long watermark, String failure,
      List<Batch> recentBatches) {
    /** The newest batch, or null before the first one. */
    Batch last() {
      return recentBatches.isEmpty() ? null : recentBatches.get(recentBatches.size() - 1);
    }
  }

  /** One batch; {@code inputRowsPerSecond} is its input over the batch interval. */
  record Batch(long batch, long batchTime, long schedulingDelayMillis, long processingMillis,
      long inputRows, double inputRowsPerSecond, long outputRows, long lateRows) {}

  static EngineStatus of(Engine engine) {
    long interval = engine.driver().batchIntervalMillis();
    List<Worker> workers = new ArrayList<>();
    for (String worker : engine.driver().workers()) {
      workers.add(new Worker(worker, "LIVE"));
    }
    List<QueryExecution> executions = new ArrayList<>(engine.driver().queries());
    // q2 before q10, as SHOW QUERIES lists them
    executions.sort(Comparator.comparing((QueryExecution q) -> q.id().length()).thenComparing(QueryExecution::id));
    List<Query> queries = new ArrayList<>();
    for (QueryExecution q : executions) {
      queries.add(query(q, interval));
    }
    List<View> views = new ArrayList<>();
    for (Engine.ViewStatus v : engine.viewStatus()) {
      views.add(new View(v.name(), v.query(), v.lastBatch(), v.batchTime(), v.rows(), v.subscribers(), v.state()));
    }
    return new EngineStatus(interval, List.copyOf(workers), List.copyOf(queries), List.copyOf(views));
  }

  private static Query query(QueryExecution q, long interval) {
    List<BatchStats> stats = q.recentBatches();
    List<Batch> batches = new ArrayList<>();
    if (!stats.isEmpty()) {
      long from = stats.get(stats.size() - 1).batchTime() - WINDOW_MILLIS;
      for (BatchStats b : stats) {
        if (b.batchTime() > from) {
          double rate = interval > 0 ? b.inputRows() * 1000.0 / interval : b.inputRows();
          batches.add(new Batch(b.batch(), b.batchTime(), b.schedulingDelayMillis(), b.processingMillis(),
              b.inputRows(), rate, b.outputRows(), b.lateRows()));
        }
      }
    }
    Throwable failure = q.failure();
    return new Query(q.id(), q.state().name(), q.sql(), q.completedBatches(), q.inputRows(), q.outputRows(),
        q.lateRows(), q.skippedRows(), q.stateRows(), q.watermark(),
        failure == null ? null : String.valueOf(failure.getMessage()), List.copyOf(batches));
  }
}
