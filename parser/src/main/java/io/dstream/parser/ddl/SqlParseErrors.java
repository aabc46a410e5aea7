package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Builds errors raised by grammar actions; public only because the generated parser lives in
 * another package.
 */
public final class SqlParseErrors {
  private SqlParseErrors() {}

  /**
   * Returns an exception for a grammar-level error at {@code pos}. The generated parser turns a
   * {@link CalciteContextException} into a {@code SqlParseException} that keeps the position, so
   * callers see the same line/column reporting as for token errors.
   */
  public static CalciteContextException at(SqlParserPos pos, String message) {
    requireNonNull(pos, "pos is null");
    requireNonNull(message, "message is null");
    return new CalciteContextException(message, new CalciteException(message, null),
        pos.getLineNum(), pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum());
  }
}
