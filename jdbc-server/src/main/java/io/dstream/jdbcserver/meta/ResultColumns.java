package io.dstream.jdbcserver.meta;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.math.BigDecimal;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ColumnMetaData.Rep;

/**
 * The JDBC view of a result's row type: column metadata for the client, and the conversion of
 * engine values (see {@code StatementResult}) into the Java objects the Avatica client accessors
 * expect for each column's type and representation.
 *
 * <p>The choices, all checked through the remote driver:
 *
 * <ul>
 *   <li>TIMESTAMP travels as a {@code Long} of epoch milliseconds with {@link Rep#LONG}; the
 *       client reads it with its number-backed timestamp accessor, which gives TIMESTAMP
 *       WITHOUT TIME ZONE semantics in any client zone: {@code getString()} is the UTC wall
 *       clock at the column precision ({@code 2026-01-01 00:00:10.000}), {@code getTimestamp()}
 *       a timestamp with that same local wall clock, and {@code getTimestamp(utcCalendar)} the
 *       instant. (Checked in client JVMs started in UTC, America/Los_Angeles and Asia/Kolkata;
 *       Avatica caches the default zone, so changing it inside a running JVM misleads. A URL
 *       with {@code ;timeZone=UTC} switches the client to instant semantics instead.) Sending
 *       {@code java.sql.Timestamp} with {@code JAVA_SQL_TIMESTAMP} does not work: protobuf turns
 *       it into a {@code Long}, which the client's timestamp accessor then fails to cast.
 *   <li>TINYINT, SMALLINT and INTEGER travel as {@code Integer}, which is what JDBC's
 *       {@code getObject} returns for them; BIGINT as {@code Long}.
 *   <li>REAL as {@code Float}; DATE (epoch days) and TIME (millis of day) as {@code Integer}.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class ResultColumns {
  /** Display size reported for a VARCHAR without a length, so that table printers stay usable. */
  static final int UNBOUNDED_VARCHAR_DISPLAY_SIZE = 24;

  private final RowType rowType;
  private final List<ColumnMetaData> metadata;
  private final DataType.Kind[] kinds;

  ResultColumns(RowType rowType) {
    this.rowType = requireNonNull(rowType, "rowType is null");
    List<ColumnMetaData> columns = new ArrayList<>(rowType.size());
    kinds = new DataType.Kind[rowType.size()];
    for (int i = 0; i < rowType.size(); i++) {
      columns.add(describe(i, rowType.column(i)));
      kinds[i] = rowType.type(i).kind();
    }
    this.metadata = List.copyOf(columns);
  }

  RowType rowType() {
    return rowType;
  }

  List<ColumnMetaData> metadata() {
    return metadata;
  }

  /** Converts engine rows into client rows (each a {@code List}, for {@code CursorFactory.LIST}). */
  List<Object> toClientRows(List<Object[]> rows) {
    List<Object> result = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      result.add(toClientRow(row));
    }
    return result;
  }

  List<Object> toClientRow(Object[] row) {
    Object[] values = new Object[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      values[i] = toClientValue(kinds[i], i < row.length ? row[i] : null);
    }
    return Arrays.asList(values);
  }

  static Object toClientValue(DataType.Kind kind, Object value) {
    if (value == null) {
      return null;
    }
    return switch (kind) {
      case TINYINT, SMALLINT, INTEGER, DATE, TIME -> ((Number) value).intValue();
      case BIGINT, TIMESTAMP, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> ((Number) value).longValue();
      case REAL -> ((Number) value).floatValue();
      case DOUBLE -> ((Number) value).doubleValue();
      case DECIMAL -> value instanceof BigDecimal ? value : new BigDecimal(value.toString());
      case VARCHAR, CHAR -> value.toString();
      case BOOLEAN -> value;
    };
  }

  private static ColumnMetaData describe(int ordinal, Column column) {
    DataType type = column.type();
    ColumnMetaData.ScalarType avaticaType =
        ColumnMetaData.scalar(jdbcType(type.kind()), CatalogListing.typeName(type.kind()), rep(type.kind()));
    return new ColumnMetaData(
        ordinal,
        false,
        type.kind() == DataType.Kind.VARCHAR || type.kind() == DataType.Kind.CHAR,
        true,
        false,
        type.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
        type.isNumeric(),
        displaySize(type),
        column.name(),
        column.name(),
        "",
        precision(type),
        type.kind() == DataType.Kind.DECIMAL ? type.scale() : 0,
        "",
        "",
        avaticaType,
        true,
        false,
        false,
        javaClass(type.kind()).getName());
  }

  /** A statement parameter of type {@code type}, the {@code index}-th (from 0). */
  static AvaticaParameter parameter(int index, DataType type) {
    return new AvaticaParameter(
        type.isNumeric(),
        precision(type),
        type.kind() == DataType.Kind.DECIMAL ? type.scale() : 0,
        jdbcType(type.kind()),
        CatalogListing.typeName(type.kind()),
        javaClass(type.kind()).getName(),
        "?" + (index + 1));
  }

  static int jdbcType(DataType.Kind kind) {
    return kind.jdbcType();
  }

  static Rep rep(DataType.Kind kind) {
    return switch (kind) {
      case BOOLEAN -> Rep.BOOLEAN;
      case TINYINT, SMALLINT, INTEGER, DATE, TIME -> Rep.INTEGER;
      case BIGINT, TIMESTAMP, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> Rep.LONG;
      case DECIMAL -> Rep.NUMBER;
      case REAL -> Rep.FLOAT;
      case DOUBLE -> Rep.DOUBLE;
      case VARCHAR, CHAR -> Rep.STRING;
    };
  }

  /** The class {@code ResultSetMetaData.getColumnClassName} reports: what getObject returns. */
  static Class<?> javaClass(DataType.Kind kind) {
    return switch (kind) {
      case BOOLEAN -> Boolean.class;
      case TINYINT, SMALLINT, INTEGER -> Integer.class;
      case BIGINT, INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> Long.class;
      case DECIMAL -> BigDecimal.class;
      case REAL -> Float.class;
      case DOUBLE -> Double.class;
      case VARCHAR, CHAR -> String.class;
      case TIMESTAMP -> java.sql.Timestamp.class;
      case DATE -> java.sql.Date.class;
      case TIME -> java.sql.Time.class;
    };
  }

  /**
   * Precision as ResultSetMetaData reports it. For TIMESTAMP and TIME it is the number of
   * fractional second digits, as in Calcite: the client's accessors format {@code getString()}
   * with that many digits.
   */
  static int precision(DataType type) {
    return switch (type.kind()) {
      case TIME, DATE, BOOLEAN -> 0;
      default -> type.precision();
    };
  }

  /**
   * COLUMN_SIZE as DatabaseMetaData.getColumns and getTypeInfo report it (JDBC): a number's
   * precision (BIGINT 19, DOUBLE 15 decimal digits), a character type's length, and for datetime
   * types the length of their text: DATE 10, TIME 8, TIMESTAMP 19 plus a point and its
   * fractional digits (23 for TIMESTAMP(3)).
   */
  static int columnSize(DataType type) {
    return switch (type.kind()) {
      case DATE -> 10;
      case TIME -> type.precision() > 0 ? 9 + type.precision() : 8;
      case TIMESTAMP -> type.precision() > 0 ? 20 + type.precision() : 19;
      case BOOLEAN -> 1;
      default -> type.precision();
    };
  }

  static int displaySize(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> 5;
      case TINYINT -> 4;
      case SMALLINT -> 6;
      case INTEGER -> 11;
      case BIGINT -> 20;
      case DECIMAL -> type.precision() + 2;
      case REAL -> 14;
      case DOUBLE -> 24;
      case VARCHAR ->
          type.precision() > 0 && type.precision() < Integer.MAX_VALUE
              ? type.precision()
              : UNBOUNDED_VARCHAR_DISPLAY_SIZE;
      case CHAR -> type.precision();
      case TIMESTAMP -> type.precision() > 0 ? 20 + type.precision() : 19;
      case DATE -> 10;
      case TIME -> 12;
      case INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> 20;
    };
  }
}
