package io.dstream.executor.plan;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * The rows of a static table as they travel inside a plan: one Arrow IPC stream (see
 * {@code BatchCodec}) read by the driver when the query starts, so that workers need no access
 * to the table's file. A plan made only to be shown (EXPLAIN) holds a {@link #deferred()} table
 * with no rows, which cannot be shipped. Immutable: the bytes are never modified once here.
 */
public final class TableData {
  private static final TableData DEFERRED = new TableData(null, -1);

  private final byte[] ipc;
  private final int rows;

  private TableData(byte[] ipc, int rows) {
    this.ipc = ipc;
    this.rows = rows;
  }

  /** Takes {@code ipc}, an Arrow IPC stream of {@code rows} rows; the caller must not modify it. */
  public static TableData of(byte[] ipc, int rows) {
    requireNonNull(ipc, "ipc is null");
    if (rows < 0) {
      throw new IllegalArgumentException("rows must not be negative: " + rows);
    }
    return new TableData(ipc, rows);
  }

  /** A table whose rows are read only when a query using it starts. */
  public static TableData deferred() {
    return DEFERRED;
  }

  public boolean isLoaded() {
    return ipc != null;
  }

  /** The Arrow IPC stream; shared, not copied: callers must not modify it. */
  public byte[] ipc() {
    if (ipc == null) {
      throw new IllegalStateException("the table is not loaded: its rows are read when a query starts");
    }
    return ipc;
  }

  public int rows() {
    return rows;
  }

  public long sizeInBytes() {
    return ipc == null ? 0 : ipc.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableData other && rows == other.rows && Arrays.equals(ipc, other.ipc);
  }

  @Override
  public int hashCode() {
    return 31 * rows + (ipc == null ? -1 : ipc.length);
  }

  @Override
  public String toString() {
    return isLoaded() ? "TableData[" + rows + " rows, " + ipc.length + " bytes]" : "TableData[deferred]";
  }
}
