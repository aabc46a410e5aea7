package io.dstream.jdbcserver.cli;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Prints rows of a push query as they arrive: a header once, then one aligned line per row.
 * Values use the engine's forms (see {@code StatementResult}); timestamps print as UTC
 * {@code yyyy-MM-dd HH:mm:ss.SSS}. Not thread-safe.
 */
final class LiveTable {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final RowType columns;
  private final PrintStream out;
  private final int[] widths;
  private boolean headerPrinted;

  LiveTable(RowType columns, PrintStream out) {
    this.columns = requireNonNull(columns, "columns is null");
    this.out = requireNonNull(out, "out is null");
    this.widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.max(columns.column(i).name().length(), width(columns.type(i)));
    }
  }

  void printHeader() {
    if (headerPrinted) {
      return;
    }
    headerPrinted = true;
    StringBuilder names = new StringBuilder();
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        names.append(" | ");
        rule.append("-+-");
      }
      names.append(pad(columns.column(i).name(), widths[i], isRightAligned(columns.type(i))));
      rule.append("-".repeat(widths[i]));
    }
    out.println(names.toString().stripTrailing());
    out.println(rule);
    out.flush();
  }

  void printRow(Object[] row) {
    printHeader();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        line.append(" | ");
      }
      Object value = i < row.length ? row[i] : null;
      line.append(pad(format(columns.type(i), value), widths[i], isRightAligned(columns.type(i))));
    }
    out.println(line.toString().stripTrailing());
    out.flush();
  }

  static String format(DataType type, Object value) {
    if (value == null) {
      return "NULL";
    }
    return switch (type.kind()) {
      case TIMESTAMP -> TIMESTAMP.format(Instant.ofEpochMilli(((Number) value).longValue()));
      case DATE -> LocalDate.ofEpochDay(((Number) value).longValue()).toString();
      case TIME -> LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
      default -> value.toString();
    };
  }

  private static boolean isRightAligned(DataType type) {
    return type.isNumeric();
  }

  private static int width(DataType type) {
    return switch (type.kind()) {
      case TIMESTAMP -> 23;
      case DATE -> 10;
      case TIME -> 12;
      case BOOLEAN -> 5;
      case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE -> 8;
      default -> 12;
    };
  }

  private static String pad(String text, int width, boolean right) {
    if (text.length() >= width) {
      return text;
    }
    String padding = " ".repeat(width - text.length());
    return right ? padding + text : text + padding;
  }
}
