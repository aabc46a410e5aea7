package io.dstream.executor.source;

import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Parses csv records straight from bytes into vectors (or physical Java values) of a row type.
 *
 * <p>Dialect: one record per line ({@code \n}, an optional {@code \r} before it is dropped),
 * comma-separated fields in declared column order, no header. A field starting with a double
 * quote is quoted (RFC 4180, {@code ""} for a quote) and may hold commas but not line breaks.
 * An empty field is NULL, except for VARCHAR/CHAR where it is the empty string. Blank lines are
 * skipped. Numbers are parsed from the bytes without building strings.
 *
 * <p>Not thread-safe: each reading call uses its own parser.
 */
final class CsvRowParser {
  private static final int STRING = 0;
  private static final int INTEGER = 1;
  private static final int DECIMAL = 2;
  private static final int FLOATING = 3;
  private static final int BOOLEAN = 4;
  private static final int TIMESTAMP = 5;
  private static final int DATE = 6;
  private static final int TIME = 7;

  private static final double[] POWERS_OF_TEN = new double[23];
  private static final long[] LONG_POWERS_OF_TEN = new long[19];

  static {
    double d = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = d;
      d *= 10;
    }
    long l = 1;
    for (int i = 0; i < LONG_POWERS_OF_TEN.length; i++) {
      LONG_POWERS_OF_TEN[i] = l;
      l *= 10;
    }
  }

  private final RowType rowType;
  private final int columns;
  private final int[] kinds;
  private final long[] minimum;
  private final long[] maximum;
  private final int[] scales;
  private final boolean[] real;

  private final byte[][] fieldSource;
  private final int[] fieldStart;
  private final int[] fieldEnd;
  private byte[] scratch = new byte[256];
  private int scratchLength;
  private int next;

  private BigIntVector[] longVectors;
  private Float8Vector[] doubleVectors;
  private BitVector[] booleanVectors;
  private VarCharVector[] stringVectors;

  CsvRowParser(RowType rowType) {
    this.rowType = rowType;
    this.columns = rowType.size();
    this.kinds = new int[columns];
    this.minimum = new long[columns];
    this.maximum = new long[columns];
    this.scales = new int[columns];
    this.real = new boolean[columns];
    this.fieldSource = new byte[columns][];
    this.fieldStart = new int[columns];
    this.fieldEnd = new int[columns];
    for (int c = 0; c < columns; c++) {
      DataType type = rowType.type(c);
      kinds[c] = kindOf(type).orElseThrow(
          () -> new IllegalArgumentException("csv cannot hold " + type.sqlName()));
      minimum[c] = Long.MIN_VALUE;
      maximum[c] = Long.MAX_VALUE;
      switch (type.kind()) {
        case TINYINT -> range(c, Byte.MIN_VALUE, Byte.MAX_VALUE);
        case SMALLINT -> range(c, Short.MIN_VALUE, Short.MAX_VALUE);
        case INTEGER -> range(c, Integer.MIN_VALUE, Integer.MAX_VALUE);
        case DECIMAL -> {
          scales[c] = Math.max(0, type.scale());
          if (type.precision() > 0 && type.precision() < 19) {
            range(c, 1 - LONG_POWERS_OF_TEN[type.precision()], LONG_POWERS_OF_TEN[type.precision()] - 1);
          }
        }
        case REAL -> real[c] = true;
        default -> { }
      }
    }
  }

  /** Whether the csv format can hold values of {@code type}. */
  static boolean supports(DataType type) {
    return kindOf(type).isPresent();
  }

  private static Optional<Integer> kindOf(DataType type) {
    return switch (type.kind()) {
      case VARCHAR, CHAR -> Optional.of(STRING);
      case TINYINT, SMALLINT, INTEGER, BIGINT -> Optional.of(INTEGER);
      case DECIMAL -> Optional.of(DECIMAL);
      case REAL, DOUBLE -> Optional.of(FLOATING);
      case BOOLEAN -> Optional.of(BOOLEAN);
      case TIMESTAMP -> Optional.of(TIMESTAMP);
      case DATE -> Optional.of(DATE);
      case TIME -> Optional.of(TIME);
      case INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> Optional.empty();
    };
  }

  private void range(int column, long min, long max) {
    minimum[column] = min;
    maximum[column] = max;
  }

  /** Sets the vectors {@link #writeRow} fills, one per column, of the row type's classes. */
  void bind(FieldVector[] vectors) {
    longVectors = new BigIntVector[columns];
    doubleVectors = new Float8Vector[columns];
    booleanVectors = new BitVector[columns];
    stringVectors = new VarCharVector[columns];
    for (int c = 0; c < columns; c++) {
      switch (rowType.type(c).physical()) {
        case LONG -> longVectors[c] = (BigIntVector) vectors[c];
        case DOUBLE -> doubleVectors[c] = (Float8Vector) vectors[c];
        case BOOLEAN -> booleanVectors[c] = (BitVector) vectors[c];
        case STRING -> stringVectors[c] = (VarCharVector) vectors[c];
      }
    }
  }

  /** Where the record after the last one {@link #tokenize}d starts, also after a failure. */
  int next() {
    return next;
  }

  /**
   * Splits the record starting at {@code pos} into fields, setting {@link #next()}. Returns
   * false for a blank line.
   *
   * @throws BadRowException when the record is malformed ({@link #next()} is still set)
   */
  boolean tokenize(byte[] buf, int pos, int limit) {
    scratchLength = 0;
    if (pos >= limit || buf[pos] == '\n'
        || (buf[pos] == '\r' && (pos + 1 == limit || buf[pos + 1] == '\n'))) {
      next = lineEnd(buf, pos, limit);
      return false;
    }
    int p = pos;
    int count = 0;
    while (true) {
      byte[] source = buf;
      int start;
      int end;
      if (p < limit && buf[p] == '"') {
        int q = p + 1;
        int segment = q;
        int copied = -1;
        while (true) {
          if (q >= limit || buf[q] == '\n') {
            next = q < limit ? q + 1 : limit;
            throw new BadRowException("unterminated quoted field in column " + columnName(count));
          }
          if (buf[q] == '"') {
            if (q + 1 < limit && buf[q + 1] == '"') {
              if (copied < 0) {
                copied = scratchLength;
              }
              appendScratch(buf, segment, q + 1);
              q += 2;
              segment = q;
              continue;
            }
            break;
          }
          q++;
        }
        if (copied >= 0) {
          appendScratch(buf, segment, q);
          source = scratch;
          start = copied;
          end = scratchLength;
        } else {
          start = p + 1;
          end = q;
        }
        p = q + 1;
        if (p < limit && buf[p] == '\r' && (p + 1 == limit || buf[p + 1] == '\n')) {
          p++;
        }
        if (p < limit && buf[p] != ',' && buf[p] != '\n') {
          next = lineEnd(buf, p, limit);
          throw new BadRowException("unexpected character after the closing quote of column "
              + columnName(count));
        }
      } else {
        start = p;
        while (p < limit) {
          byte b = buf[p];
          if (b == ',' || b == '\n') {
            break;
          }
          p++;
        }
        end = p;
        if ((p == limit || buf[p] == '\n') && end > start && buf[end - 1] == '\r') {
          end--;
        }
      }
      if (count < columns) {
        fieldSource[count] = source;
        fieldStart[count] = start;
        fieldEnd[count] = end;
      }
      count++;
      if (p < limit && buf[p] == ',') {
        p++;
        continue;
      }
      next = p < limit ? p + 1 : limit;
      if (count != columns) {
        throw new BadRowException("expected " + columns + " fields, found " + count);
      }
      return true;
    }
  }

  /** Writes the fields of the last tokenized record into row {@code row} of the bound vectors. */
  void writeRow(int row) {
    for (int c = 0; c < columns; c++) {
      byte[] b = fieldSource[c];
      int s = fieldStart[c];
      int e = fieldEnd[c];
      int kind = kinds[c];
      if (kind == STRING) {
        stringVectors[c].setSafe(row, b, s, e - s);
      } else if (s == e) {
        switch (rowType.type(c).physical()) {
          case LONG -> longVectors[c].setNull(row);
          case DOUBLE -> doubleVectors[c].setNull(row);
          case BOOLEAN -> booleanVectors[c].setNull(row);
          case STRING -> stringVectors[c].setNull(row);
        }
      } else if (kind == FLOATING) {
        doubleVectors[c].set(row, parseDouble(c, b, s, e));
      } else if (kind == BOOLEAN) {
        booleanVectors[c].set(row, parseBoolean(c, b, s, e) ? 1 : 0);
      } else {
        longVectors[c].set(row, parseLong(c, b, s, e));
      }
    }
  }

  /** Returns the last tokenized record as physical Java values (Long, Double, Boolean, String). */
  Object[] values() {
    Object[] values = new Object[columns];
    for (int c = 0; c < columns; c++) {
      byte[] b = fieldSource[c];
      int s = fieldStart[c];
      int e = fieldEnd[c];
      int kind = kinds[c];
      if (kind == STRING) {
        values[c] = new String(b, s, e - s, StandardCharsets.UTF_8);
      } else if (s == e) {
        values[c] = null;
      } else if (kind == FLOATING) {
        values[c] = parseDouble(c, b, s, e);
      } else if (kind == BOOLEAN) {
        values[c] = parseBoolean(c, b, s, e);
      } else {
        values[c] = parseLong(c, b, s, e);
      }
    }
    return values;
  }

  private long parseLong(int c, byte[] b, int s, int e) {
    long value;
    switch (kinds[c]) {
      case INTEGER -> value = parseInteger(c, b, s, e);
      case DECIMAL -> value = parseDecimal(c, b, s, e);
      case TIMESTAMP, DATE, TIME -> {
        try {
          value = kinds[c] == TIMESTAMP ? Timestamps.parseMillis(b, s, e)
              : kinds[c] == DATE ? Timestamps.parseDate(b, s, e) : Timestamps.parseTime(b, s, e);
        } catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
          throw mismatch(c, b, s, e, "");
        }
      }
      default -> throw new IllegalStateException("not a long column: " + c);
    }
    if (value < minimum[c] || value > maximum[c]) {
      throw mismatch(c, b, s, e, " (out of range)");
    }
    return value;
  }

  private long parseInteger(int c, byte[] b, int s, int e) {
    int i = s;
    boolean negative = b[i] == '-';
    if (negative || b[i] == '+') {
      i++;
    }
    if (i == e) {
      throw mismatch(c, b, s, e, "");
    }
    if (e - i > 18) {
      try {
        return Long.parseLong(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
      } catch (NumberFormatException ex) {
        throw mismatch(c, b, s, e, "");
      }
    }
    long value = 0;
    for (; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw mismatch(c, b, s, e, "");
      }
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }

  /** Parses a plain decimal into an unscaled long of the column's scale, rounding half up. */
  private long parseDecimal(int c, byte[] b, int s, int e) {
    int scale = scales[c];
    int i = s;
    boolean negative = b[i] == '-';
    if (negative || b[i] == '+') {
      i++;
    }
    long value = 0;
    int fractionDigits = 0;
    int roundingDigit = -1;
    boolean point = false;
    boolean anyDigit = false;
    try {
      for (; i < e; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          if (b[i] == '.' && !point) {
            point = true;
            continue;
          }
          throw mismatch(c, b, s, e, "");
        }
        anyDigit = true;
        if (!point) {
          value = Math.addExact(Math.multiplyExact(value, 10), d);
        } else if (fractionDigits < scale) {
          value = Math.addExact(Math.multiplyExact(value, 10), d);
          fractionDigits++;
        } else if (roundingDigit < 0) {
          roundingDigit = d;
        }
      }
      if (!anyDigit) {
        throw mismatch(c, b, s, e, "");
      }
      for (; fractionDigits < scale; fractionDigits++) {
        value = Math.multiplyExact(value, 10);
      }
      if (roundingDigit >= 5) {
        value = Math.addExact(value, 1);
      }
    } catch (ArithmeticException ex) {
      throw mismatch(c, b, s, e, " (out of range)");
    }
    return negative ? -value : value;
  }

  /** Exact for up to 15 significant digits without exponent; else {@link Double#parseDouble}. */
  private double parseDouble(int c, byte[] b, int s, int e) {
    int i = s;
    boolean negative = b[i] == '-';
    if (negative || b[i] == '+') {
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int fractionDigits = 0;
    boolean point = false;
    boolean simple = i < e;
    for (; i < e && simple; i++) {
      int d = b[i] - '0';
      if (d >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        digits++;
        if (point) {
          fractionDigits++;
        }
      } else if (b[i] == '.' && !point) {
        point = true;
      } else {
        simple = false;
      }
    }
    double value;
    if (simple && digits > 0 && digits <= 15) {
      value = (double) mantissa / POWERS_OF_TEN[fractionDigits];
      value = negative ? -value : value;
    } else {
      try {
        value = Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
      } catch (NumberFormatException ex) {
        throw mismatch(c, b, s, e, "");
      }
    }
    return real[c] ? (double) (float) value : value;
  }

  private boolean parseBoolean(int c, byte[] b, int s, int e) {
    int n = e - s;
    if (n == 4 && (b[s] | 0x20) == 't' && (b[s + 1] | 0x20) == 'r' && (b[s + 2] | 0x20) == 'u'
        && (b[s + 3] | 0x20) == 'e') {
      return true;
    }
    if (n == 5 && (b[s] | 0x20) == 'f' && (b[s + 1] | 0x20) == 'a' && (b[s + 2] | 0x20) == 'l'
        && (b[s + 3] | 0x20) == 's' && (b[s + 4] | 0x20) == 'e') {
      return false;
    }
    throw mismatch(c, b, s, e, "");
  }

  private BadRowException mismatch(int c, byte[] b, int s, int e, String detail) {
    String text = new String(b, s, Math.min(e - s, 100), StandardCharsets.UTF_8);
    return new BadRowException("column '" + rowType.column(c).name() + "' expects "
        + rowType.type(c).sqlName() + " but got '" + text + "'" + detail);
  }

  private String columnName(int index) {
    return index < columns ? "'" + rowType.column(index).name() + "'" : (index + 1) + "";
  }

  private void appendScratch(byte[] buf, int from, int to) {
    int n = to - from;
    if (scratchLength + n > scratch.length) {
      byte[] grown = new byte[Math.max(scratch.length * 2, scratchLength + n)];
      System.arraycopy(scratch, 0, grown, 0, scratchLength);
      scratch = grown;
    }
    System.arraycopy(buf, from, scratch, scratchLength, n);
    scratchLength += n;
  }

  private static int lineEnd(byte[] buf, int p, int limit) {
    while (p < limit && buf[p] != '\n') {
      p++;
    }
    return p < limit ? p + 1 : limit;
  }

  /** A malformed record; cheap (no stack trace) so that skipping bad rows stays fast. */
  static final class BadRowException extends RuntimeException {
    BadRowException(String reason) {
      super(reason, null, false, false);
    }
  }
}
