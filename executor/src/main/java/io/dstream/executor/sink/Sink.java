package io.dstream.executor.sink;

import io.dstream.executor.batch.ColumnBatch;

/**
 * Where a continuous query's output goes. The driver commits each batch's output once, in batch
 * order, from one thread; after a recovery it may commit the same batch id again, which a sink
 * must ignore (exactly once by batch id).
 */
public interface Sink extends AutoCloseable {
  /** Commits the rows of batch {@code batchId}; does not take ownership of {@code rows}. */
  void commit(long batchId, ColumnBatch rows);

  /** The input ended and every batch was committed. */
  default void finish() {}

  /** The query failed or was stopped with an error; no more commits follow. */
  default void fail(Throwable cause) {}

  @Override
  default void close() {}
}
