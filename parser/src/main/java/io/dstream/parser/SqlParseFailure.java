package io.dstream.parser;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A syntax error in user SQL. The message names the position first, e.g.
 * {@code Syntax error at line 2, column 15: Encountered "FROMM". Was expecting one of: ...},
 * because users act on the position before the details.
 *
 * <p>{@link #line()} and {@link #column()} are 1-based; both are 0 when Calcite reported no
 * position. The Calcite exception, when there is one, is the cause.
 */
public final class SqlParseFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  // Calcite repeats the position inside its own message; the prefix already states it.
  private static final Pattern CALCITE_POSITION = Pattern.compile(" at line \\d+, column \\d+");
  private static final int MAX_EXPECTED_SHOWN = 12;

  private final int line;
  private final int column;

  private SqlParseFailure(String message, int line, int column, @Nullable Throwable cause) {
    super(message, cause);
    this.line = line;
    this.column = column;
  }

  /** Wraps a Calcite parse exception, keeping its position. */
  public static SqlParseFailure of(SqlParseException e) {
    requireNonNull(e, "e is null");
    SqlParserPos pos = e.getPos();
    int line = pos == null ? 0 : pos.getLineNum();
    int column = pos == null ? 0 : pos.getColumnNum();
    return new SqlParseFailure(format(line, column, describe(e)), line, column, e);
  }

  /** A failure detected outside Calcite's grammar, e.g. two statements where one was expected. */
  public static SqlParseFailure at(SqlParserPos pos, String detail) {
    requireNonNull(pos, "pos is null");
    requireNonNull(detail, "detail is null");
    return new SqlParseFailure(format(pos.getLineNum(), pos.getColumnNum(), detail),
        pos.getLineNum(), pos.getColumnNum(), null);
  }

  /** 1-based line of the offending token, or 0 if unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the offending token, or 0 if unknown. */
  public int column() {
    return column;
  }

  private static String format(int line, int column, String detail) {
    if (line <= 0) {
      return "Syntax error: " + detail;
    }
    return "Syntax error at line " + line + ", column " + column + ": " + detail;
  }

  /** First line of Calcite's message plus a bounded list of expected tokens. */
  private static String describe(SqlParseException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    String first = (newline < 0 ? message : message.substring(0, newline)).strip();
    first = CALCITE_POSITION.matcher(first).replaceFirst("");
    List<String> expected = new ArrayList<>(e.getExpectedTokenNames());
    if (expected.isEmpty()) {
      return first;
    }
    StringBuilder sb = new StringBuilder(first).append(" Was expecting one of: ");
    sb.append(String.join(", ", expected.subList(0, Math.min(MAX_EXPECTED_SHOWN,
        expected.size()))));
    if (expected.size() > MAX_EXPECTED_SHOWN) {
      sb.append(", ... (").append(expected.size() - MAX_EXPECTED_SHOWN).append(" more)");
    }
    return sb.toString();
  }
}
