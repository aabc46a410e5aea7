package io.dstream.executor.source;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One query's reader of one stream. The driver calls {@link #planBatch} once per batch, in
 * batch order, from one thread; tasks call {@link #read} concurrently, possibly more than once
 * for the same split (recomputation), and must get the same rows each time.
 */
public interface Source extends AutoCloseable {
  RowType rowType();

  /**
   * Plans the input of batch {@code batchId}, whose interval ends at {@code batchTime}.
   * Returns at most {@code parallelism} splits; an empty list when nothing arrived.
   */
  SourceBatch planBatch(long batchId, long batchTime, int parallelism);

  /**
   * Reads one split into a new batch owned by the caller, allocated from {@code allocator}.
   * Rows that fail to parse follow the source's error policy: an {@code EngineException} with
   * code BAD_INPUT_DATA naming the file and line, or skipped and added to {@code metrics}.
   */
  ColumnBatch read(SourceSplit split, BufferAllocator allocator, SourceMetrics metrics);

  @Override
  default void close() {}
}
