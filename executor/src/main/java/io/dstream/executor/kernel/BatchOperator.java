package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;

/** A narrow, stateless operator: consumes (closes) its input and returns a new batch. */
public interface BatchOperator {
  ColumnBatch apply(ColumnBatch input, KernelContext context);
}
