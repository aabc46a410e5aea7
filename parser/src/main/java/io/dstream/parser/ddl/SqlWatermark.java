package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * The {@code WATERMARK FOR column AS expression} clause of CREATE STREAM.
 *
 * <p>The parser accepts any non-query expression; {@link #delay()} recognizes the two shapes the
 * engine supports and leaves everything else for the planner to reject.
 *
 * @param column the event-time column the watermark tracks
 * @param expression the watermark expression as parsed, e.g. {@code rowtime - INTERVAL '5' SECOND}
 */
public record SqlWatermark(SqlIdentifier column, SqlNode expression) {
  public SqlWatermark {
    requireNonNull(column, "column is null");
    requireNonNull(expression, "expression is null");
  }

  /**
   * Returns the out-of-orderness delay: {@code X} for {@code column - X}, a zero-second interval
   * literal for a bare {@code column}, and empty for any other expression. The column is matched
   * case-insensitively, as the engine resolves identifiers.
   */
  public Optional<SqlNode> delay() {
    if (isColumn(expression)) {
      SqlParserPos pos = expression.getParserPosition();
      return Optional.of(SqlLiteral.createInterval(1, "0",
          new SqlIntervalQualifier(TimeUnit.SECOND, null, pos), pos));
    }
    if (expression.getKind() == SqlKind.MINUS && expression instanceof SqlCall call
        && call.operandCount() == 2 && isColumn(call.operand(0))) {
      return Optional.of(call.operand(1));
    }
    return Optional.empty();
  }

  private boolean isColumn(SqlNode node) {
    return node instanceof SqlIdentifier id && id.isSimple()
        && id.getSimple().equalsIgnoreCase(column.getSimple());
  }

  void unparse(SqlWriter writer) {
    writer.keyword("WATERMARK FOR");
    column.unparse(writer, 0, 0);
    writer.keyword("AS");
    expression.unparse(writer, 0, 0);
  }
}
