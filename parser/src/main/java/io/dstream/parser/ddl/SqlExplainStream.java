package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlExplainFormat;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Plain {@code EXPLAIN statement}, where the statement is a query (typically
 * {@code SELECT STREAM ...}), DML, or a CREATE statement such as {@code CREATE STREAM x AS ...}.
 *
 * <p>It extends {@link SqlExplain} with Calcite's defaults (attributes, physical, text), so the
 * planner can handle it and {@code EXPLAIN PLAN ... FOR statement} (which still parses to a plain
 * {@link SqlExplain}) through {@link SqlExplain#getExplicandum()} alone. Only the unparsed text
 * differs: this node prints back as {@code EXPLAIN statement}.
 */
public final class SqlExplainStream extends SqlExplain {
  // createCall is overridden so that tree copies keep the subclass (and its unparse form).
  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("EXPLAIN", SqlKind.EXPLAIN) {
        @Override
        public SqlCall createCall(@Nullable SqlLiteral functionQualifier, SqlParserPos pos,
            @Nullable SqlNode... operands) {
          return new SqlExplainStream(pos, requireNonNull(operands[0]), 0);
        }
      };

  public SqlExplainStream(SqlParserPos pos, SqlNode statement, int dynamicParamCount) {
    super(pos, requireNonNull(statement, "statement is null"),
        SqlExplainLevel.EXPPLAN_ATTRIBUTES.symbol(SqlParserPos.ZERO),
        Depth.PHYSICAL.symbol(SqlParserPos.ZERO),
        SqlExplainFormat.TEXT.symbol(SqlParserPos.ZERO),
        dynamicParamCount);
  }

  /** The explained statement; same as {@link #getExplicandum()}. */
  public SqlNode statement() {
    return getExplicandum();
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("EXPLAIN");
    writer.newlineAndIndent();
    getExplicandum().unparse(writer, 0, 0);
  }
}
