package io.dstream.executor.scheduler;

import io.dstream.executor.batch.ColumnBatch;

/**
 * Receives the rows a query's windows dropped as too late (all of their windows had closed,
 * allowed lateness included), once per batch after the batch's output is committed, on the
 * query's thread. The rows have the columns of the input of the window assignment of their
 * input branch.
 */
@FunctionalInterface
public interface LateRowsHandler {
  LateRowsHandler NONE = (query, stream, batch, rows) -> {};

  /**
   * Late rows of input {@code stream} of {@code query}; {@code rows} belongs to the caller and is
   * closed after the call.
   */
  void lateRows(QueryDag query, String stream, long batch, ColumnBatch rows);
}
