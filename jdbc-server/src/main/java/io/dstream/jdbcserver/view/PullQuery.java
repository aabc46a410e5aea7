package io.dstream.jdbcserver.view;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * A pull query over materialized views, run by Calcite's own execution (an embedded
 * {@code jdbc:calcite:} connection, enumerable plans) over a schema whose tables are snapshots of
 * the views, taken by the caller before the query starts: the query sees each view as of one
 * whole batch and never holds up the views' queries. Full SQL: filters, ORDER BY, LIMIT,
 * aggregates, joins between views, subqueries. Identifiers are matched as the engine's parser
 * does (case-insensitive, unquoted names unchanged).
 */
public final class PullQuery {
  private static final long DAY_MILLIS = 86_400_000L;

  /** A view as a pull query reads it: its columns and one snapshot. */
  public record Input(String name, RowType rowType, ViewSnapshot snapshot) {
    /** A static table as a pull query reads it: {@code rows} in the engine's value forms. */
    public static Input table(String name, RowType rowType, List<Object[]> rows) {
      List<Object[]> internal = new ArrayList<>(rows.size());
      for (Object[] row : rows) {
        Object[] out = new Object[row.length];
        for (int c = 0; c < row.length; c++) {
          out[c] = ViewTable.internal(row[c], rowType.type(c));
        }
        internal.add(out);
      }
      return new Input(name, rowType, new ViewSnapshot(-1, Long.MIN_VALUE, internal));
    }
  }

  /** A pull query's result: its columns (engine types) and rows (engine value forms). */
  public record Result(RowType columns, List<Object[]> rows) {}

  private PullQuery() {}

  /** Runs {@code sql} (one query, no trailing semicolon) over {@code views}. */
  public static Result run(String sql, List<Input> views) {
    return run(sql, views, List.of());
  }

  /**
   * Runs {@code sql} with values for its {@code ?} parameters (JDBC objects, in order) over
   * {@code views}.
   */
  public static Result run(String sql, List<Input> views, List<Object> parameters) {
    PlanCache.Plan plan = null;
    try {
      plan = PLANS.take(sql, views);
      PreparedStatement statement = plan.statement();
      int expected = statement.getParameterMetaData().getParameterCount();
      if (expected != parameters.size()) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Pull query has " + expected
            + " parameter(s) but " + parameters.size() + " value(s) were given");
      }
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      Result result;
      try (ResultSet rs = statement.executeQuery()) {
        result = read(rs);
      }
      PLANS.release(plan);
      return result;
    } catch (SQLException | RuntimeException e) {
      if (plan != null) {
        plan.close();
      }
      throw failure(e);
    }
  }

  /** Prepared plans kept for reuse, shared by all pull queries (see {@link PlanCache}). */
  private static final PlanCache PLANS = new PlanCache();

  /** Idle prepared plans kept now, for tests. */
  static int cachedPlans() {
    return PLANS.idlePlans();
  }

  /** The parameter types and columns of {@code sql} over {@code views}, without running it. */
  public static Description describe(String sql, List<Input> views) {
    // The plan goes back to the cache, where the executions of the prepared statement find it.
    PlanCache.Plan plan = null;
    try {
      plan = PLANS.take(sql, views);
      PreparedStatement statement = plan.statement();
      ParameterMetaData pmd = statement.getParameterMetaData();
      List<DataType> parameters = new ArrayList<>();
      for (int p = 1; p <= pmd.getParameterCount(); p++) {
        parameters.add(type(pmd.getParameterType(p), pmd.getPrecision(p), pmd.getScale(p), true));
      }
      Description description = new Description(parameters, rowType(statement.getMetaData()));
      PLANS.release(plan);
      return description;
    } catch (SQLException | RuntimeException e) {
      if (plan != null) {
        plan.close();
      }
      throw failure(e);
    }
  }

  /** Calcite's plan of {@code sql} over {@code views}, a line each, without running it. */
  public static List<String> explain(String sql, List<Input> views) {
    try (Connection connection = open(views)) {
      return explain(connection, sql);
    } catch (SQLException | RuntimeException e) {
      throw failure(e);
    }
  }

  /** Calcite's plan of {@code sql} on {@code connection}, a line each. */
  static List<String> explain(Connection connection, String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (java.sql.Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("EXPLAIN PLAN FOR " + sql)) {
      while (rs.next()) {
        for (String line : rs.getString(1).split("\n")) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      }
    }
    return lines;
  }

  /** A pull query's parameter types and result columns, known before it runs. */
  public record Description(List<DataType> parameterTypes, RowType columns) {}

  static EngineException failure(Exception e) {
    return failure("Pull query failed: ", e);
  }

  /** {@code e} as an engine error whose message is {@code prefix} and the innermost message. */
  static EngineException failure(String prefix, Exception e) {
    if (e instanceof EngineException engine) {
      return engine;
    }
    return new EngineException(ErrorCode.VALIDATION_ERROR, prefix + message(e), e);
  }

  /** An embedded Calcite connection whose default schema holds {@code views}. */
  private static Connection open(List<Input> views) throws SQLException {
    Map<String, ViewSnapshot> snapshots = new HashMap<>();
    Map<String, Table> tables = new HashMap<>();
    for (Input view : views) {
      snapshots.put(view.name(), view.snapshot());
      tables.put(view.name(), new PlanCache.BoundTable(view.name(), view.rowType(), view.snapshot().rowCount(),
          snapshots));
    }
    return open(tables);
  }

  /** An embedded Calcite connection whose default schema holds {@code tables}. */
  static Connection open(Map<String, Table> tables) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("caseSensitive", "false");
    properties.setProperty("unquotedCasing", "UNCHANGED");
    properties.setProperty("quotedCasing", "UNCHANGED");
    properties.setProperty("conformance", "LENIENT");
    properties.setProperty("timeZone", "UTC");
    Connection connection = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", properties);
    try {
      CalciteConnection calcite = connection.unwrap(CalciteConnection.class);
      calcite.getRootSchema().add("dstream", new AbstractSchema() {
        @Override
        protected Map<String, Table> getTableMap() {
          return tables;
        }
      });
      calcite.setSchema("dstream");
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The innermost message, which names the problem (Calcite wraps it several times). */
  private static String message(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  static RowType rowType(ResultSetMetaData md) throws SQLException {
    List<Column> columns = new ArrayList<>();
    for (int c = 1; c <= md.getColumnCount(); c++) {
      columns.add(new Column(md.getColumnLabel(c), type(md.getColumnType(c), md.getPrecision(c), md.getScale(c),
          md.isNullable(c) != ResultSetMetaData.columnNoNulls)));
    }
    return new RowType(columns);
  }

  static Result read(ResultSet rs) throws SQLException {
    RowType type = rowType(rs.getMetaData());
    int n = type.size();
    Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    List<Object[]> rows = new ArrayList<>();
    while (rs.next()) {
      Object[] row = new Object[n];
      for (int c = 1; c <= n; c++) {
        row[c - 1] = value(rs, c, type.type(c - 1).kind(), utc);
      }
      rows.add(row);
    }
    return new Result(type, rows);
  }

  private static DataType type(int jdbcType, int precision, int scale, boolean nullable) {
    DataType base = switch (jdbcType) {
      case Types.BOOLEAN, Types.BIT -> DataType.of(Kind.BOOLEAN);
      case Types.TINYINT -> DataType.of(Kind.TINYINT);
      case Types.SMALLINT -> DataType.of(Kind.SMALLINT);
      case Types.INTEGER -> DataType.of(Kind.INTEGER);
      case Types.BIGINT -> DataType.of(Kind.BIGINT);
      case Types.DECIMAL, Types.NUMERIC -> DataType.decimal(Math.min(Math.max(precision, 1), 19),
          Math.max(scale, 0));
      case Types.REAL -> DataType.of(Kind.REAL);
      case Types.FLOAT, Types.DOUBLE -> DataType.of(Kind.DOUBLE);
      case Types.CHAR -> DataType.of(Kind.CHAR);
      case Types.DATE -> DataType.of(Kind.DATE);
      case Types.TIME -> DataType.of(Kind.TIME);
      case Types.TIMESTAMP -> DataType.of(Kind.TIMESTAMP);
      default -> DataType.of(Kind.VARCHAR);
    };
    return base.withNullable(nullable);
  }

  private static Object value(ResultSet rs, int c, Kind kind, Calendar utc) throws SQLException {
    Object v = switch (kind) {
      case BOOLEAN -> rs.getBoolean(c);
      case TINYINT, SMALLINT, INTEGER, BIGINT -> rs.getLong(c);
      case DECIMAL -> rs.getBigDecimal(c);
      case REAL, DOUBLE -> rs.getDouble(c);
      case TIMESTAMP -> {
        java.sql.Timestamp t = rs.getTimestamp(c, utc);
        yield t == null ? null : t.getTime();
      }
      case DATE -> {
        java.sql.Date d = rs.getDate(c, utc);
        yield d == null ? null : Math.floorDiv(d.getTime(), DAY_MILLIS);
      }
      case TIME -> {
        java.sql.Time t = rs.getTime(c, utc);
        yield t == null ? null : Math.floorMod(t.getTime(), DAY_MILLIS);
      }
      default -> {
        Object o = rs.getObject(c);
        yield o == null ? null : o.toString();
      }
    };
    return rs.wasNull() ? null : v;
  }
}
