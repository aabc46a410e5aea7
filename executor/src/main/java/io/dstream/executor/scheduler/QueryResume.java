package io.dstream.executor.scheduler;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where a query starts: at batch {@code nextBatch} with the given watermark, its source sought to
 * {@code sourcePosition}, and its state rebuilt from the latest complete checkpoint at or before
 * batch {@code nextBatch - 1} plus {@code lineage} replayed after it (without output). A fresh
 * query starts at batch 0 and discards any checkpoints of an earlier query with its id.
 */
public record QueryResume(long nextBatch, long watermark, String sourcePosition, List<BatchLineage> lineage) {
  public static final QueryResume FRESH = new QueryResume(0, Long.MIN_VALUE, "", List.of());

  public QueryResume {
    requireNonNull(sourcePosition, "sourcePosition is null");
    lineage = List.copyOf(lineage);
    if (nextBatch < 0) {
      throw new IllegalArgumentException("nextBatch must not be negative, was " + nextBatch);
    }
    if (nextBatch > 0 && sourcePosition.isEmpty()) {
      throw new IllegalArgumentException("resuming at batch " + nextBatch + " needs a source position");
    }
  }

  public boolean isFresh() {
    return nextBatch == 0;
  }
}
