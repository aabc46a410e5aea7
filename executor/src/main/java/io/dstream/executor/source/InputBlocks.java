package io.dstream.executor.source;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import org.apache.arrow.memory.BufferAllocator;

/** How a worker reads replicated input blocks: from its own block store or from a replica. */
@FunctionalInterface
public interface InputBlocks {
  /** Reads no block: for sources whose splits never name one (a single-process engine). */
  InputBlocks NONE = (split, rowType, allocator) -> {
    throw new IllegalStateException("input block " + split.blockId() + " cannot be read in this process");
  };

  /**
   * A copy of the block {@code split} names, owned by the caller and allocated from
   * {@code allocator}. Blocks on the network.
   *
   * @throws io.dstream.executor.error.EngineException WORKER_LOST when no replica is reachable
   */
  ColumnBatch read(InputSplit split, RowType rowType, BufferAllocator allocator);
}
