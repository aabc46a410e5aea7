package io.dstream.executor.source;

import static java.util.Objects.requireNonNull;

/**
 * A deterministic slice of one batch's input, read by one task. Its meaning is the source's:
 * a byte range {@code [start, end)} of {@code path} for files, an event index range for
 * generators, an offset range of a log for in-memory streams. Re-reading a split gives the same
 * rows, which is what lineage-based recovery relies on.
 */
public record SourceSplit(String path, long start, long end) {
  public SourceSplit {
    requireNonNull(path, "path is null");
  }
}
