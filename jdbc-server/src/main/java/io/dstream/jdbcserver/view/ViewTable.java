package io.dstream.jdbcserver.view;

import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result table of a materialized view: a multiset of rows that the view's query changes
 * batch by batch (inserts and deletes of one equal row), written by one thread, and the latest
 * published {@link ViewSnapshot}, read by any thread without locking.
 *
 * <p>Publishing is copy-on-write: a batch that changed the table copies the row references
 * (not the rows) into a new snapshot, O(rows) per changed batch; a batch without changes reuses
 * the previous snapshot's rows.
 *
 * <p>Rows are kept in Calcite's internal representation of the view's types (INTEGER as int,
 * DATE as int days, TIMESTAMP as long millis, ...), converted once when a change is applied.
 */
public final class ViewTable {
  private final RowType rowType;
  /** Each distinct row and how many times it is in the table. */
  private final Map<Key, int[]> rows = new LinkedHashMap<>();
  private long size;
  private boolean changed;
  private long missingDeletes;
  private volatile ViewSnapshot snapshot = ViewSnapshot.EMPTY;

  public ViewTable(RowType rowType) {
    this.rowType = rowType;
  }

  public RowType rowType() {
    return rowType;
  }

  /** The latest published snapshot. */
  public ViewSnapshot snapshot() {
    return snapshot;
  }

  /** Rows deleted by the changelog that were not in the table (should stay 0). */
  public synchronized long missingDeletes() {
    return missingDeletes;
  }

  /** Adds one row, in the engine's value forms (see StatementResult). */
  public void insert(Object[] values) {
    insertInternal(internal(values));
  }

  /** Removes one row equal to {@code values}, if there is one. */
  public void delete(Object[] values) {
    deleteInternal(internal(values));
  }

  /** Adds one row already in Calcite's internal forms (see {@link #internal(Object[])}). */
  synchronized void insertInternal(Object[] row) {
    rows.computeIfAbsent(new Key(row), k -> new int[1])[0]++;
    size++;
    changed = true;
  }

  /** Removes one row equal to {@code row} (internal forms), if there is one. */
  synchronized void deleteInternal(Object[] row) {
    Key key = new Key(row);
    int[] count = rows.get(key);
    if (count == null) {
      missingDeletes++;
      return;
    }
    if (--count[0] == 0) {
      rows.remove(key);
    }
    size--;
    changed = true;
  }

  /** Publishes the table as it is now, as the state after batch {@code batch}. */
  public synchronized void publish(long batch, long batchTime) {
    List<Object[]> out;
    if (changed || !snapshot.hasBatch()) {
      out = currentRows();
      changed = false;
    } else {
      out = snapshot.rows();
    }
    snapshot = new ViewSnapshot(batch, batchTime, out);
  }

  /** The rows as they are now (internal forms), committed changes included, published or not. */
  synchronized List<Object[]> currentRows() {
    List<Object[]> out = new ArrayList<>((int) size);
    for (Map.Entry<Key, int[]> e : rows.entrySet()) {
      for (int i = 0; i < e.getValue()[0]; i++) {
        out.add(e.getKey().values);
      }
    }
    return out;
  }

  /** Frees the rows; readers holding a snapshot keep it. */
  public synchronized void clear() {
    rows.clear();
    size = 0;
  }

  /** A row of engine values (see StatementResult) in Calcite's internal forms of the view's types. */
  Object[] internal(Object[] values) {
    Object[] out = new Object[values.length];
    for (int c = 0; c < values.length; c++) {
      out[c] = internal(values[c], rowType.type(c));
    }
    return out;
  }

  /** Calcite's internal value of an engine value of type {@code type}. */
  static Object internal(Object v, DataType type) {
    if (v == null) {
      return null;
    }
    return switch (type.kind()) {
      case TINYINT -> ((Number) v).byteValue();
      case SMALLINT -> ((Number) v).shortValue();
      case INTEGER, DATE, TIME, INTERVAL_YEAR_MONTH -> ((Number) v).intValue();
      case REAL -> ((Number) v).floatValue();
      default -> v;
    };
  }

  /** A row as a hash key: equal values, column by column. */
  private record Key(Object[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }
}
