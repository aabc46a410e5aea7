package io.dstream.executor.scheduler;

import io.dstream.executor.source.SourceSplit;
import java.util.Collections;
import java.util.List;

/**
 * What recomputing the state after batch {@code batch} needs: its input splits, the input branch
 * of the query's DAG each split belongs to ({@code branches}, parallel to {@code splits}), the
 * watermarks before and after it, and its processing time (the value of PROCTIME(),
 * Long.MIN_VALUE when not recorded). Replaying these from the previous state gives the same
 * state.
 */
public record BatchLineage(long batch, List<SourceSplit> splits, List<Integer> branches, long previousWatermark,
    long watermark, long processingTime) {
  public BatchLineage {
    splits = List.copyOf(splits);
    branches = List.copyOf(branches);
    if (branches.size() != splits.size()) {
      throw new IllegalArgumentException("one branch per split is needed: " + splits.size() + " splits, "
          + branches.size() + " branches");
    }
  }

  /** Lineage without a recorded processing time. */
  public BatchLineage(long batch, List<SourceSplit> splits, List<Integer> branches, long previousWatermark,
      long watermark) {
    this(batch, splits, branches, previousWatermark, watermark, Long.MIN_VALUE);
  }

  /** The lineage of a single-input query: every split belongs to branch 0. */
  public BatchLineage(long batch, List<SourceSplit> splits, long previousWatermark, long watermark,
      long processingTime) {
    this(batch, splits, Collections.nCopies(splits.size(), 0), previousWatermark, watermark, processingTime);
  }

  /** The lineage of a single-input query without a recorded processing time. */
  public BatchLineage(long batch, List<SourceSplit> splits, long previousWatermark, long watermark) {
    this(batch, splits, previousWatermark, watermark, Long.MIN_VALUE);
  }
}
