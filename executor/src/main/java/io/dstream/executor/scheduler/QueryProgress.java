package io.dstream.executor.scheduler;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where a query stands once batch {@code lastBatch} is committed to its sink: enough to resume it
 * in a new driver (see {@link QueryResume}). {@code sourcePosition} is empty when the source
 * cannot be replayed; {@code lineage} holds the batches after the latest complete checkpoint (or
 * all batches, when there is none), empty for queries without state.
 */
public record QueryProgress(String query, long lastBatch, long watermark, String sourcePosition,
    List<BatchLineage> lineage, boolean finished) {
  public QueryProgress {
    requireNonNull(query, "query is null");
    requireNonNull(sourcePosition, "sourcePosition is null");
    lineage = List.copyOf(lineage);
  }

  /** A query that has not completed a batch yet. */
  public static QueryProgress started(String query) {
    return new QueryProgress(query, -1, Long.MIN_VALUE, "", List.of(), false);
  }

  /** How to resume the query after this point. */
  public QueryResume resume() {
    return new QueryResume(lastBatch + 1, watermark, sourcePosition, lineage);
  }
}
