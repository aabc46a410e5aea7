package io.dstream.executor.scheduler;

import io.dstream.executor.source.SourceSplit;
import java.util.List;

/**
 * What recomputing the state after batch {@code batch} needs: its input splits, the watermarks
 * before and after it and its processing time (the value of PROCTIME(), Long.MIN_VALUE when not
 * recorded). Replaying these from the previous state gives the same state.
 */
public record BatchLineage(long batch, List<SourceSplit> splits, long previousWatermark, long watermark,
    long processingTime) {
  public BatchLineage {
    splits = List.copyOf(splits);
  }

  public BatchLineage(long batch, List<SourceSplit> splits, long previousWatermark, long watermark) {
    this(batch, splits, previousWatermark, watermark, Long.MIN_VALUE);
  }
}
