package io.dstream.sqltests.differential;

import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Normalized rows and their comparison as multisets. Exact numbers of any width or scale become
 * {@link BigDecimal} without trailing zeros (BIGINT 5, HUGEINT 5 and DECIMAL 5.000 are equal);
 * doubles stay doubles and compare with a relative tolerance; timestamps become {@link Ts}.
 */
final class Rows {
  static final double RELATIVE_TOLERANCE = 1e-9;
  private static final int MAX_REPORTED = 15;

  private Rows() {}

  /** A timestamp, as epoch milliseconds UTC. */
  record Ts(long millis) {
    @Override
    public String toString() {
      return "TS'" + Timestamps.format(millis) + "'";
    }
  }

  /** Column descriptions (for messages) and normalized rows. */
  record Result(List<String> columns, List<List<Object>> rows) {}

  static Object normalize(Object v) {
    if (v == null || v instanceof Ts || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Double || v instanceof Float) {
      return ((Number) v).doubleValue();
    }
    BigDecimal d;
    if (v instanceof BigDecimal b) {
      d = b;
    } else if (v instanceof BigInteger b) {
      d = new BigDecimal(b);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      d = BigDecimal.valueOf(((Number) v).longValue());
    } else {
      throw new IllegalArgumentException("unexpected value class " + v.getClass() + ": " + v);
    }
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }

  /** The engine's rows, normalized (its TIMESTAMP columns hold epoch millis as Long). */
  static Result ofEngine(RowType columns, List<Object[]> rows) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      names.add(columns.column(i).name() + " " + columns.type(i).sqlName());
    }
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      List<Object> r = new ArrayList<>(row.length);
      for (int i = 0; i < row.length; i++) {
        Object v = row[i];
        r.add(v != null && EngineRunner.isTimestamp(columns.type(i)) ? new Ts((Long) v) : normalize(v));
      }
      out.add(r);
    }
    return new Result(names, out);
  }

  private static int rank(Object v) {
    if (v == null) {
      return 0;
    } else if (v instanceof Boolean) {
      return 1;
    } else if (v instanceof BigDecimal) {
      return 2;
    } else if (v instanceof Double) {
      return 3;
    } else if (v instanceof String) {
      return 4;
    } else {
      return 5;
    }
  }

  @SuppressWarnings("unchecked")
  private static int compareValues(Object a, Object b) {
    int r = Integer.compare(rank(a), rank(b));
    if (r != 0 || a == null) {
      return r;
    }
    if (a instanceof Ts x) {
      return Long.compare(x.millis(), ((Ts) b).millis());
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  private static final Comparator<List<Object>> ROW_ORDER = (x, y) -> {
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = compareValues(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  };

  static boolean sameValue(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Double x && b instanceof Double y) {
      if (x.equals(y)) {
        return true;
      }
      double diff = Math.abs(x - y);
      return diff <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y)) || diff < 1e-12;
    }
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    return a.getClass() == b.getClass() && a.equals(b);
  }

  static boolean sameRow(List<Object> a, List<Object> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!sameValue(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Compares two results as multisets of rows; returns null when equal, else a description of
   * the rows only in one or only in the other.
   */
  static String difference(Result engine, Result oracle) {
    if (engine.columns().size() != oracle.columns().size()) {
      return "column counts differ: engine " + engine.columns() + ", DuckDB " + oracle.columns();
    }
    List<List<Object>> a = new ArrayList<>(engine.rows());
    List<List<Object>> b = new ArrayList<>(oracle.rows());
    a.sort(ROW_ORDER);
    b.sort(ROW_ORDER);
    if (a.size() == b.size()) {
      boolean equal = true;
      for (int i = 0; i < a.size() && equal; i++) {
        equal = sameRow(a.get(i), b.get(i));
      }
      if (equal) {
        return null;
      }
    }
    // Greedy matching (tolerant of doubles that sorted differently), to list what differs.
    List<List<Object>> onlyEngine = new ArrayList<>();
    boolean[] used = new boolean[b.size()];
    int from = 0;
    for (List<Object> row : a) {
      int match = -1;
      for (int j = from; j < b.size(); j++) {
        if (!used[j] && sameRow(row, b.get(j))) {
          match = j;
          break;
        }
      }
      if (match < 0) {
        onlyEngine.add(row);
      } else {
        used[match] = true;
        while (from < b.size() && used[from]) {
          from++;
        }
      }
    }
    List<List<Object>> onlyOracle = new ArrayList<>();
    for (int j = 0; j < b.size(); j++) {
      if (!used[j]) {
        onlyOracle.add(b.get(j));
      }
    }
    if (onlyEngine.isEmpty() && onlyOracle.isEmpty()) {
      return null;
    }
    return "engine " + a.size() + " rows, DuckDB " + b.size() + " rows\n  engine columns " + engine.columns()
        + "\n  DuckDB columns " + oracle.columns()
        + "\n  only in engine (" + onlyEngine.size() + "): " + head(onlyEngine)
        + "\n  only in DuckDB (" + onlyOracle.size() + "): " + head(onlyOracle);
  }

  private static String show(List<Object> row) {
    StringBuilder sb = new StringBuilder("[");
    for (Object v : row) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      if (v instanceof String str) {
        sb.append('\'').append(str).append('\'');
      } else if (v instanceof BigDecimal d) {
        sb.append(d.toPlainString());
      } else {
        sb.append(v);
      }
    }
    return sb.append(']').toString();
  }

  private static String head(List<List<Object>> rows) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(MAX_REPORTED, rows.size()); i++) {
      sb.append("\n    ").append(show(rows.get(i)));
    }
    if (rows.size() > MAX_REPORTED) {
      sb.append("\n    ... ").append(rows.size() - MAX_REPORTED).append(" more");
    }
    return sb.toString();
  }
}
