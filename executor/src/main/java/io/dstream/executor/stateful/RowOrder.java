package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.DataType.Physical;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The values of a batch's columns in primitive arrays, to sort its rows: by key columns, by the
 * keys of an ORDER BY, and by all columns as the tie-break that makes a ranking deterministic
 * (ascending, NULLs last; strings by their UTF-8 bytes, that is by code point). Holds no Arrow
 * memory.
 */
final class RowOrder {
  private final Physical[] physical;
  private final long[][] longs;
  private final double[][] doubles;
  private final byte[][][] strings;
  private final boolean[][] nulls;

  RowOrder(ColumnBatch batch) {
    int columns = batch.columnCount();
    int n = batch.rowCount();
    physical = new Physical[columns];
    longs = new long[columns][];
    doubles = new double[columns][];
    strings = new byte[columns][][];
    nulls = new boolean[columns][];
    for (int c = 0; c < columns; c++) {
      physical[c] = batch.rowType().type(c).physical();
      boolean[] isNull = new boolean[n];
      nulls[c] = isNull;
      switch (physical[c]) {
        case LONG -> {
          BigIntVector v = batch.longs(c);
          long[] values = new long[n];
          for (int i = 0; i < n; i++) {
            isNull[i] = v.isNull(i);
            values[i] = isNull[i] ? 0 : v.get(i);
          }
          longs[c] = values;
        }
        case BOOLEAN -> {
          BitVector v = batch.booleans(c);
          long[] values = new long[n];
          for (int i = 0; i < n; i++) {
            isNull[i] = v.isNull(i);
            values[i] = isNull[i] ? 0 : v.get(i);
          }
          longs[c] = values;
        }
        case DOUBLE -> {
          Float8Vector v = batch.doubles(c);
          double[] values = new double[n];
          for (int i = 0; i < n; i++) {
            isNull[i] = v.isNull(i);
            values[i] = isNull[i] ? 0 : v.get(i);
          }
          doubles[c] = values;
        }
        case STRING -> {
          VarCharVector v = batch.strings(c);
          byte[][] values = new byte[n][];
          for (int i = 0; i < n; i++) {
            isNull[i] = v.isNull(i);
            values[i] = isNull[i] ? null : v.get(i);
          }
          strings[c] = values;
        }
        default -> throw new IllegalStateException("unknown physical type " + physical[c]);
      }
    }
  }

  boolean isNull(int column, int row) {
    return nulls[column][row];
  }

  /** The value of a LONG-stored column (BIGINT, TIMESTAMP...), 0 when NULL. */
  long longValue(int column, int row) {
    return longs[column][row];
  }

  /** Compares rows {@code a} and {@code b} on one column. */
  int compare(int column, int a, int b, boolean descending, boolean nullsFirst) {
    boolean na = nulls[column][a];
    boolean nb = nulls[column][b];
    if (na || nb) {
      if (na == nb) {
        return 0;
      }
      return na == nullsFirst ? -1 : 1;
    }
    int c = switch (physical[column]) {
      case LONG, BOOLEAN -> Long.compare(longs[column][a], longs[column][b]);
      case DOUBLE -> Double.compare(doubles[column][a], doubles[column][b]);
      case STRING -> Arrays.compareUnsigned(strings[column][a], strings[column][b]);
    };
    return descending ? -c : c;
  }

  /** Compares on {@code columns}, each ascending with NULLs last: equal keys compare 0. */
  int compareKeys(int[] columns, int a, int b) {
    for (int column : columns) {
      int c = compare(column, a, b, false, false);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Compares by the sort keys of an ORDER BY. */
  int compareOrder(List<PlanNode.SortKey> order, int a, int b) {
    for (PlanNode.SortKey key : order) {
      int c = compare(key.column(), a, b, key.descending(), key.nullsFirst());
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The tie-break: every column in order, ascending, NULLs last. */
  int compareAll(int a, int b) {
    for (int column = 0; column < physical.length; column++) {
      int c = compare(column, a, b, false, false);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
