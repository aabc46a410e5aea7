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
   * narrow operators and writes output or shuffle blocks. {@code processingTime} is the start of
   * the batch's interval, the value of PROCTIME() for its rows (Long.MIN_VALUE when unknown).
   */
  record MapTask(String query, long batch, int partition, SourceSplit split, long previousWatermark, int branch,
      long processingTime) implements Task {
    public MapTask {
      if (branch < 0) {
        throw new IllegalArgumentException("branch must not be negative, was " + branch);
      }
    }

    /** A task of the first (or only) input branch, without a processing time. */
    public MapTask(String query, long batch, int partition, SourceSplit split, long previousWatermark) {
      this(query, batch, partition, split, previousWatermark, 0, Long.MIN_VALUE);
    }

    /** A task of input branch {@code branch}, without a processing time. */
    public MapTask(String query, long batch, int partition, SourceSplit split, long previousWatermark, int branch) {
      this(query, batch, partition, split, previousWatermark, branch, Long.MIN_VALUE);
    }

    /** A task of the first (or only) input branch. */
    public MapTask(String query, long batch, int partition, SourceSplit split, long previousWatermark,
        long processingTime) {
      this(query, batch, partition, split, previousWatermark, 0, processingTime);
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
