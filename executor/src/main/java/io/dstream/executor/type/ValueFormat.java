package io.dstream.executor.type;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The text form of values: DECIMAL with exactly {@code scale} fraction digits, TIMESTAMP as
 * {@code YYYY-MM-DD HH:MM:SS.mmm}, DOUBLE as {@link Double#toString}, REAL as
 * {@link Float#toString}, BOOLEAN as true/false. Also writes csv fields in the dialect the csv
 * source reads. Stateless and thread-safe.
 */
public final class ValueFormat {
  private ValueFormat() {}

  /**
   * Formats a value given in its physical Java form (Long, Double, Boolean, String); a null
   * value gives {@code "NULL"}.
   */
  public static String format(DataType type, Object physicalValue) {
    if (physicalValue == null) {
      return "NULL";
    }
    StringBuilder out = new StringBuilder();
    append(out, type, physicalValue);
    return out.toString();
  }

  /** Appends a non-null physical value as text, unquoted. */
  public static void append(StringBuilder out, DataType type, Object physicalValue) {
    switch (type.physical()) {
      case LONG -> appendLong(out, type, ((Number) physicalValue).longValue());
      case DOUBLE -> appendDouble(out, type, ((Number) physicalValue).doubleValue());
      case BOOLEAN -> out.append(((Boolean) physicalValue).booleanValue());
      case STRING -> out.append(physicalValue);
    }
  }

  /** Appends a value stored in a LONG-physical column: integers, DECIMAL, dates and times. */
  public static void appendLong(StringBuilder out, DataType type, long value) {
    switch (type.kind()) {
      case DECIMAL -> appendDecimal(out, value, type.scale());
      case TIMESTAMP -> Timestamps.appendTimestamp(out, value);
      case DATE -> Timestamps.appendDate(out, value);
      case TIME -> Timestamps.appendTime(out, value);
      case INTERVAL_DAY_TIME -> appendDayTimeInterval(out, value);
      case INTERVAL_YEAR_MONTH -> appendYearMonthInterval(out, value);
      default -> out.append(value);
    }
  }

  public static void appendDouble(StringBuilder out, DataType type, double value) {
    if (type.kind() == DataType.Kind.REAL) {
      out.append((float) value);
    } else {
      out.append(value);
    }
  }

  /** Formats an unscaled decimal, e.g. 123450 with scale 3 as {@code 123.450}. */
  public static String formatDecimal(long unscaled, int scale) {
    StringBuilder out = new StringBuilder(21);
    appendDecimal(out, unscaled, scale);
    return out.toString();
  }

  public static void appendDecimal(StringBuilder out, long unscaled, int scale) {
    if (scale <= 0) {
      out.append(unscaled);
      return;
    }
    String digits = Long.toString(unscaled);
    int first = 0;
    if (unscaled < 0) {
      out.append('-');
      first = 1;
    }
    int count = digits.length() - first;
    if (count <= scale) {
      out.append("0.");
      for (int i = count; i < scale; i++) {
        out.append('0');
      }
      out.append(digits, first, digits.length());
    } else {
      int point = digits.length() - scale;
      out.append(digits, first, point).append('.').append(digits, point, digits.length());
    }
  }

  /**
   * Appends the value of row {@code row} of {@code vector} as text, unquoted; returns false
   * (appending nothing) when it is null.
   */
  public static boolean appendValue(StringBuilder out, DataType type, FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return false;
    }
    switch (type.physical()) {
      case LONG -> appendLong(out, type, ((BigIntVector) vector).get(row));
      case DOUBLE -> appendDouble(out, type, ((Float8Vector) vector).get(row));
      case BOOLEAN -> out.append(((BitVector) vector).get(row) != 0);
      case STRING -> out.append(new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8));
    }
    return true;
  }

  /**
   * Appends one csv field: empty for null, double-quoted (with {@code ""} escapes) when the text
   * holds a comma, a quote or a line break, else as is.
   */
  public static void appendCsvField(StringBuilder out, DataType type, FieldVector vector, int row) {
    if (type.physical() != DataType.Physical.STRING) {
      appendValue(out, type, vector, row);
      return;
    }
    if (vector.isNull(row)) {
      return;
    }
    appendCsvText(out, new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8));
  }

  /** Appends text as one csv field, quoting it when needed. */
  public static void appendCsvText(StringBuilder out, String text) {
    boolean quote = false;
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      out.append(text);
      return;
    }
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        out.append('"');
      }
      out.append(c);
    }
    out.append('"');
  }

  private static void appendDayTimeInterval(StringBuilder out, long millis) {
    if (millis < 0) {
      out.append('-');
    }
    long abs = Math.abs(millis);
    out.append(abs / Timestamps.MILLIS_PER_DAY).append(' ');
    Timestamps.appendTime(out, abs % Timestamps.MILLIS_PER_DAY);
  }

  private static void appendYearMonthInterval(StringBuilder out, long months) {
    if (months < 0) {
      out.append('-');
    }
    long abs = Math.abs(months);
    long m = abs % 12;
    out.append(abs / 12).append('-').append(m < 10 ? "0" : "").append(m);
  }
}
