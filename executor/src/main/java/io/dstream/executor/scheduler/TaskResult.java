package io.dstream.executor.scheduler;

import io.dstream.executor.block.BlockLocation;
import java.util.List;

/**
 * What a finished task reports: the blocks it wrote (output, or one shuffle block per reduce
 * partition in partition order), the state block of a reduce task, its row counts, and the
 * maximum event time it read (Long.MIN_VALUE when none). A reduce task writes one output block
 * per closed window; {@code blockOrder} holds each output block's window bound, so the driver
 * can commit windows in time order across partitions (empty for map tasks). A map task whose
 * windows dropped late rows writes them to block {@code late} (null when none). A reduce task
 * reports the rows of the state it wrote in {@code stateRows}.
 */
public record TaskResult(List<BlockLocation> blocks, List<Long> blockOrder, BlockLocation state,
    long inputRows, long outputRows, long maxEventTime, long lateRows, long skippedRows, BlockLocation late,
    long stateRows) {
  public TaskResult {
    blocks = List.copyOf(blocks);
    blockOrder = List.copyOf(blockOrder);
  }

  /** A result without state. */
  public TaskResult(List<BlockLocation> blocks, List<Long> blockOrder, BlockLocation state,
      long inputRows, long outputRows, long maxEventTime, long lateRows, long skippedRows, BlockLocation late) {
    this(blocks, blockOrder, state, inputRows, outputRows, maxEventTime, lateRows, skippedRows, late, 0);
  }

  /** A result without a block of late rows. */
  public TaskResult(List<BlockLocation> blocks, List<Long> blockOrder, BlockLocation state,
      long inputRows, long outputRows, long maxEventTime, long lateRows, long skippedRows) {
    this(blocks, blockOrder, state, inputRows, outputRows, maxEventTime, lateRows, skippedRows, null, 0);
  }
}
