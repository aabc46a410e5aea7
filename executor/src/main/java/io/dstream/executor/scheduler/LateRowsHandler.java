package io.dstream.executor.scheduler;

import io.dstream.executor.batch.ColumnBatch;

/**
 * Receives the rows a query's windows dropped as too late (all of their windows had closed,
 * allowed lateness included), once per batch after the batch's output is committed, on the
 * query's thread. The rows have the columns of the query's window assignment input.
 */
@FunctionalInterface
public interface LateRowsHandler {
  LateRowsHandler NONE = (query, batch, rows) -> {};

  /** {@code rows} belongs to the caller and is closed after the call. */
  void lateRows(QueryDag query, long batch, ColumnBatch rows);
}
