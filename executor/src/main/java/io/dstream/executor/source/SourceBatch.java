package io.dstream.executor.source;

import java.util.List;

/**
 * The planned input of one batch: the splits to read and whether the source is exhausted once
 * they are read (a bounded source then lets the watermark pass the end of time).
 */
public record SourceBatch(List<SourceSplit> splits, boolean exhausted) {
  public SourceBatch {
    splits = List.copyOf(splits);
  }
}
