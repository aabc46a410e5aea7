package io.dstream.executor.block;

import static java.util.Objects.requireNonNull;

/**
 * Names one partition of one dataset of one batch of a query: its map output toward a reduce
 * partition ({@code SHUFFLE}, with {@code part} the reduce partition), its output
 * ({@code OUTPUT}) or its keyed state ({@code STATE}); or one block of a non-replayable stream's
 * input ({@code INPUT}: query {@code input:<stream>}, batch the block's sequence number).
 */
public record BlockId(String query, long batch, Kind kind, int partition, int part) {
  /** The datasets a batch produces. */
  public enum Kind { SHUFFLE, OUTPUT, STATE, INPUT, LATE }

  public BlockId {
    requireNonNull(query, "query is null");
    requireNonNull(kind, "kind is null");
  }

  @Override
  public String toString() {
    return query + "/" + batch + "/" + kind.name().toLowerCase(java.util.Locale.ROOT) + "/" + partition
        + (kind == Kind.SHUFFLE ? "/" + part : "");
  }
}
