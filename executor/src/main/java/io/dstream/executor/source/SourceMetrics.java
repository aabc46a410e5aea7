package io.dstream.executor.source;

import java.util.concurrent.atomic.AtomicLong;

/** Counters a source updates while reading; thread-safe. */
public final class SourceMetrics {
  private final AtomicLong skippedRows = new AtomicLong();

  public void addSkippedRows(long count) {
    skippedRows.addAndGet(count);
  }

  public long skippedRows() {
    return skippedRows.get();
  }
}
