package io.dstream.sqltests.differential;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * DuckDB, in memory, as the batch oracle: each input is loaded into a table, with views that
 * assign the rows to their windows the way Calcite's TUMBLE and HOP do.
 */
final class DuckDbOracle implements AutoCloseable {
  /**
   * The (size, slide, offset) in seconds of each window view; tumbling windows have size = slide.
   * Window starts are the instants {@code offset + k * slide} (epoch aligned), as in Calcite.
   */
  static final int[][] WINDOWS = {{10, 10, 0}, {3, 3, 0}, {60, 60, 0}, {10, 10, 3}, {10, 2, 0}, {9, 3, 0},
      {10, 3, 0}, {10, 4, 1}};

  /** The (size, step, offset) in seconds of each cumulative window view (size a multiple of step). */
  static final int[][] CUMULATES = {{10, 2, 0}, {9, 3, 0}, {60, 10, 5}, {4, 4, 0}};

  private final Connection connection;

  DuckDbOracle() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = connection.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      // s / c rounded half up (away from zero on ties), exactly, on integers; NULL when c = 0.
      s.execute("CREATE MACRO div_half_up(s, c) AS CASE WHEN c = 0 THEN NULL"
          + " ELSE sign(s) * ((2 * abs(s) + c) // (2 * c)) END");
    }
  }

  /** The view of {@code table} with columns window_start, window_end for (size, slide, offset) seconds. */
  static String windowView(String table, int size, int slide, int offset) {
    return table + "_w" + size + "_" + slide + "_" + offset;
  }

  /**
   * Loads the csv as the engine's csv source reads it: header-less, RFC 4180 quotes, an empty
   * field is NULL except for VARCHAR where it is the empty string (force_not_null).
   */
  void load(String table, BidInput input) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE " + table + " AS SELECT * FROM read_csv('" + input.path.toAbsolutePath()
          + "', header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"',"
          + " columns = {'auction': 'BIGINT', 'bidder': 'BIGINT', 'price': 'BIGINT', 'channel': 'VARCHAR',"
          + " 'url': 'VARCHAR', 'date_time': 'TIMESTAMP', 'extra': 'VARCHAR'},"
          + " timestampformat = '%Y-%m-%d %H:%M:%S.%g', force_not_null = ['channel', 'url', 'extra'])");
      for (int[] w : WINDOWS) {
        long size = w[0] * 1000L;
        long slide = w[1] * 1000L;
        long offset = w[2] * 1000L;
        String last = "(CAST(floor((epoch_ms(b.date_time) - " + offset + ") / " + slide + ") AS BIGINT) * " + slide
            + " + " + offset + ")";
        // The windows [s, s + size) with s a multiple of the slide (epoch aligned) that contain
        // the row: all of them, including the partial ones at both ends of the input.
        s.execute("CREATE VIEW " + windowView(table, w[0], w[1], w[2]) + " AS SELECT b.*,"
            + " epoch_ms(w.s) AS window_start, epoch_ms(w.s + " + size + ") AS window_end"
            + " FROM " + table + " b, LATERAL (SELECT unnest(generate_series(" + last + " - " + (size / slide + 1) * slide
            + ", " + last
            + ", " + slide + ")) AS s) w WHERE w.s > epoch_ms(b.date_time) - " + size);
      }
      for (int[] c : CUMULATES) {
        long size = c[0] * 1000L;
        long step = c[1] * 1000L;
        long offset = c[2] * 1000L;
        String period = "(CAST(floor((epoch_ms(b.date_time) - " + offset + ") / " + size + ") AS BIGINT) * " + size
            + " + " + offset + ")";
        // Flink's CUMULATE: in the period [p, p + size), the windows [p, p + k * step) that end
        // after the row.
        s.execute("CREATE VIEW " + cumulateView(table, c[0], c[1], c[2]) + " AS SELECT b.*,"
            + " epoch_ms(" + period + ") AS window_start, epoch_ms(w.e) AS window_end FROM " + table + " b,"
            + " LATERAL (SELECT unnest(generate_series(" + period + " + " + step + ", " + period + " + " + size + ", "
            + step + ")) AS e) w WHERE w.e > epoch_ms(b.date_time)");
      }
    }
  }

  /** Runs a statement, such as loading a further table. */
  void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  /** The view of {@code table} with the cumulative windows of (size, step, offset) seconds. */
  static String cumulateView(String table, int size, int step, int offset) {
    return table + "_c" + size + "_" + step + "_" + offset;
  }

  long count(String table) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The rows of a query, normalized by {@link Rows#normalize}; timestamps as epoch millis (UTC). */
  Rows.Result query(String sql) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> names = new ArrayList<>();
      boolean[] timestamp = new boolean[n];
      for (int i = 0; i < n; i++) {
        names.add(md.getColumnLabel(i + 1) + " " + md.getColumnTypeName(i + 1));
        int type = md.getColumnType(i + 1);
        timestamp[i] = type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE;
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Object v;
          if (timestamp[i]) {
            LocalDateTime t = rs.getObject(i + 1, LocalDateTime.class);
            v = t == null ? null : new Rows.Ts(t.toInstant(ZoneOffset.UTC).toEpochMilli());
          } else {
            v = rs.getObject(i + 1);
          }
          row.add(Rows.normalize(v));
        }
        rows.add(row);
      }
      return new Rows.Result(names, rows);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
