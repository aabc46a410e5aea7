package io.dstream.jdbcserver.meta;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * The values a client sends for a prepared statement's {@code ?} parameters, checked against the
 * parameters its prepare response announced and converted to their types before the engine binds
 * them:
 * <ul>
 *   <li>A parameter the client did not set (Avatica sends an "implicit null", which arrives as a
 *       null entry; {@code setNull} arrives as a typed null) fails with SQLSTATE
 *       {@value #NOT_SET_SQL_STATE} "parameter N is not set".
 *   <li>A value of another type is converted when nothing is lost ({@code setString(1, "42")} for
 *       a BIGINT parameter is 42; {@code setInt} for a DECIMAL one is that number), else fails
 *       with SQLSTATE {@value #WRONG_TYPE_SQL_STATE} "parameter 1 expects BIGINT, got VARCHAR
 *       'abc'".
 * </ul>
 * TIMESTAMP, DATE and TIME values are read in UTC, as the engine's values are.
 */
final class ParameterValues {
  /** SQLSTATE for a parameter without a value: dynamic parameters do not match their values. */
  static final String NOT_SET_SQL_STATE = "07001";
  /** SQLSTATE for a value that cannot be converted to its parameter's type. */
  static final String WRONG_TYPE_SQL_STATE = "22018";

  private ParameterValues() {}

  /**
   * The values as JDBC objects of the parameters' types, in order.
   *
   * @throws org.apache.calcite.avatica.remote.AvaticaRuntimeException if a value is missing or
   *     cannot be converted
   */
  static List<Object> convert(List<TypedValue> values, List<AvaticaParameter> parameters) {
    if (values == null || values.isEmpty()) {
      if (!parameters.isEmpty()) {
        throw notSet(1);
      }
      return List.of();
    }
    Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    List<Object> result = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      TypedValue value = values.get(i);
      if (value == null) {
        throw notSet(i + 1);
      }
      Object jdbc = value.toJdbc(utc);
      result.add(i < parameters.size() ? convert(jdbc, parameters.get(i), i + 1) : jdbc);
    }
    return result;
  }

  private static RuntimeException notSet(int index) {
    return ClientErrors.user("parameter " + index + " is not set: call a PreparedStatement set method"
        + " (setNull for NULL) for every ? before executing", NOT_SET_SQL_STATE);
  }

  /** {@code value} as the type of {@code parameter} (number {@code index}, from 1). */
  static Object convert(Object value, AvaticaParameter parameter, int index) {
    if (value == null) {
      return null;
    }
    try {
      Object converted = switch (parameter.parameterType) {
        case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> narrow(value, parameter.parameterType);
        case Types.BIGINT -> integral(value, Long.MIN_VALUE, Long.MAX_VALUE);
        case Types.DECIMAL, Types.NUMERIC -> fit(decimal(value), parameter.precision, parameter.scale);
        case Types.REAL, Types.FLOAT, Types.DOUBLE -> floating(value);
        case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR -> text(value);
        case Types.BOOLEAN, Types.BIT -> bool(value);
        case Types.TIMESTAMP -> timestamp(value);
        case Types.DATE -> date(value);
        default -> value;
      };
      if (converted != null) {
        return converted;
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      // Reported below.
    }
    throw ClientErrors.user("parameter " + index + " expects " + parameter.typeName + ", got " + describe(value),
        WRONG_TYPE_SQL_STATE);
  }

  /** An integral value as a Byte, Short or Integer (as {@code jdbcType} says), or null. */
  private static Object narrow(Object value, int jdbcType) {
    return switch (jdbcType) {
      case Types.TINYINT -> {
        Long v = integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
        yield v == null ? null : (Object) v.byteValue();
      }
      case Types.SMALLINT -> {
        Long v = integral(value, Short.MIN_VALUE, Short.MAX_VALUE);
        yield v == null ? null : (Object) v.shortValue();
      }
      default -> {
        Long v = integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
        yield v == null ? null : (Object) v.intValue();
      }
    };
  }

  /** An integral value within [min, max] as a Long, or null if it is not one. */
  private static Long integral(Object value, long min, long max) {
    BigDecimal exact;
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      exact = BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof BigDecimal d) {
      exact = d;
    } else if (value instanceof BigInteger b) {
      exact = new BigDecimal(b);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return null;
      }
      exact = new BigDecimal(d);
    } else if (value instanceof String s) {
      exact = new BigDecimal(s.trim());
    } else {
      return null;
    }
    BigInteger whole;
    try {
      whole = exact.toBigIntegerExact();
    } catch (ArithmeticException e) {
      return null;
    }
    if (whole.compareTo(BigInteger.valueOf(min)) < 0 || whole.compareTo(BigInteger.valueOf(max)) > 0) {
      return null;
    }
    return whole.longValue();
  }

  private static BigDecimal decimal(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isNaN(d) || Double.isInfinite(d) ? null : new BigDecimal(Double.toString(d));
    }
    if (value instanceof String s) {
      return new BigDecimal(s.trim());
    }
    return null;
  }

  private static Object floating(Object value) {
    if (value instanceof Number) {
      return value;
    }
    if (value instanceof String s) {
      return Double.parseDouble(s.trim());
    }
    return null;
  }

  private static String text(Object value) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }
    return null;
  }

  private static Boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      String t = s.trim();
      if (t.equalsIgnoreCase("true")) {
        return true;
      }
      if (t.equalsIgnoreCase("false")) {
        return false;
      }
    }
    return null;
  }

  /** A timestamp, or text {@code 2026-01-01 00:00:01[.000]} read as a UTC wall clock. */
  private static java.sql.Timestamp timestamp(Object value) {
    if (value instanceof java.sql.Timestamp t) {
      return t;
    }
    if (value instanceof java.sql.Date d) {
      return new java.sql.Timestamp(d.getTime()); // midnight (UTC) of that day: nothing is lost
    }
    if (value instanceof String s) {
      LocalDateTime local = LocalDateTime.parse(s.trim().replace(' ', 'T'));
      java.sql.Timestamp t = new java.sql.Timestamp(local.toInstant(ZoneOffset.UTC).toEpochMilli());
      t.setNanos(local.getNano());
      return t;
    }
    return null;
  }

  /**
   * {@code d} in a DECIMAL of {@code precision} and {@code scale} (when known: both positive), or
   * null when it does not fit without rounding: more digits after the point (beyond trailing
   * zeros) or before it than the parameter holds.
   */
  private static BigDecimal fit(BigDecimal d, int precision, int scale) {
    if (d == null || precision <= 0 || scale < 0) {
      return d;
    }
    BigDecimal scaled = d.setScale(scale, java.math.RoundingMode.UNNECESSARY); // ArithmeticException: reported
    return scaled.precision() - scaled.scale() > precision - scale ? null : scaled;
  }

  /** A date, or text {@code 2026-01-01}. */
  private static java.sql.Date date(Object value) {
    if (value instanceof java.sql.Date d) {
      return d;
    }
    if (value instanceof String s) {
      return new java.sql.Date(LocalDate.parse(s.trim()).toEpochDay() * 86_400_000L);
    }
    return null;
  }

  /** "VARCHAR 'abc'", "DOUBLE 1.5": the SQL type of a JDBC value and the value. */
  static String describe(Object value) {
    String type;
    if (value instanceof String) {
      return "VARCHAR '" + value + "'";
    } else if (value instanceof Long) {
      type = "BIGINT";
    } else if (value instanceof Integer) {
      type = "INTEGER";
    } else if (value instanceof Short) {
      type = "SMALLINT";
    } else if (value instanceof Byte) {
      type = "TINYINT";
    } else if (value instanceof BigDecimal || value instanceof BigInteger) {
      type = "DECIMAL";
    } else if (value instanceof Double) {
      type = "DOUBLE";
    } else if (value instanceof Float) {
      type = "REAL";
    } else if (value instanceof Boolean) {
      type = "BOOLEAN";
    } else if (value instanceof java.sql.Timestamp) {
      type = "TIMESTAMP";
    } else if (value instanceof java.sql.Date) {
      type = "DATE";
    } else if (value instanceof java.sql.Time) {
      type = "TIME";
    } else {
      type = value.getClass().getSimpleName();
    }
    return type + " " + value;
  }

  /**
   * The number of {@code ?} parameter markers in {@code sql}: those outside string literals,
   * quoted identifiers and comments.
   */
  static int countMarkers(String sql) {
    int count = 0;
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        // A quote ends the literal unless doubled, which the loop reads as two literals.
        int end = sql.indexOf(c, i + 1);
        i = end < 0 ? n : end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else if (c == '?') {
        count++;
      }
    }
    return count;
  }
}
