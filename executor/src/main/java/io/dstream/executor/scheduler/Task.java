package io.dstream.executor.scheduler;

import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.source.SourceSplit;
import java.util.List;

/** A unit of work on one partition of one batch: deterministic, so it can be rerun anywhere. */
public sealed interface Task {
  String query();

  long batch();

  int partition();

  /**
   * Reads a source split of input branch {@code branch} of the query's DAG, runs that branch's
   * narrow operators and writes output or shuffle blocks.
   */
  record MapTask(String query, long batch, int partition, SourceSplit split, long previousWatermark, int branch)
      implements Task {
    public MapTask {
      if (branch < 0) {
        throw new IllegalArgumentException("branch must not be negative, was " + branch);
      }
    }

    /** A task of the first (or only) input branch. */
    public MapTask(String query, long batch, int partition, SourceSplit split, long previousWatermark) {
      this(query, batch, partition, split, previousWatermark, 0);
    }
  }

  /**
   * Merges shuffle blocks into the previous batch's state, emits the groups the watermark
   * closes, and writes the new state and the output.
   */
  record ReduceTask(String query, long batch, int partition, List<BlockLocation> inputs,
      BlockLocation previousState, long watermark, long previousWatermark) implements Task {
    public ReduceTask {
      inputs = List.copyOf(inputs);
    }
  }
}
