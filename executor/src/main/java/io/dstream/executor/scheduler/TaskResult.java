package io.dstream.executor.scheduler;

import io.dstream.executor.block.BlockLocation;
import java.util.List;

/**
 * What a finished task reports: the blocks it wrote (output, state, or one shuffle block per
 * reduce partition in partition order), its row counts, and the maximum event time it read
 * (Long.MIN_VALUE when none).
 */
public record TaskResult(List<BlockLocation> blocks, BlockLocation state, long inputRows,
    long outputRows, long maxEventTime, long lateRows, long skippedRows) {
  public TaskResult {
    blocks = List.copyOf(blocks);
  }
}
