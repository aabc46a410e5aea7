package io.dstream.jdbcserver.view;

import java.util.List;

/**
 * The rows of a materialized view after a whole batch: immutable, so readers need no lock and
 * never see a half-applied batch. Rows hold Calcite's internal values for the view's column
 * types (see {@link ViewTable}); the arrays are never modified. {@code batch} is -1 and
 * {@code batchTime} {@link Long#MIN_VALUE} before the first completed batch.
 */
public record ViewSnapshot(long batch, long batchTime, List<Object[]> rows) {
  public static final ViewSnapshot EMPTY = new ViewSnapshot(-1, Long.MIN_VALUE, List.of());

  public ViewSnapshot {
    rows = java.util.Collections.unmodifiableList(rows);
  }

  public long rowCount() {
    return rows.size();
  }

  /** Whether a batch has completed since the view was created. */
  public boolean hasBatch() {
    return batch >= 0;
  }
}
