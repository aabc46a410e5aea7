package io.dstream.executor.scheduler;

import io.dstream.executor.source.SourceSplit;
import java.util.List;

/**
 * What recomputing the state after batch {@code batch} needs: its input splits and the
 * watermarks before and after it. Replaying these from the previous state gives the same state.
 */
public record BatchLineage(long batch, List<SourceSplit> splits, long previousWatermark, long watermark) {
  public BatchLineage {
    splits = List.copyOf(splits);
  }
}
