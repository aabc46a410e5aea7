package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code SHOW STREAMS | TABLES | QUERIES | VIEWS | FUNCTIONS}. */
public final class SqlShow extends SqlCall {
  /** What is listed; the constant name is the SQL keyword. */
  public enum Kind {
    STREAMS,
    TABLES,
    QUERIES,
    VIEWS,
    FUNCTIONS
  }

  // createCall is overridden so that tree copies (SqlShuttle) rebuild a SqlShow, not a basic call.
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("SHOW", SqlKind.OTHER) {
    @Override
    public SqlCall createCall(@Nullable SqlLiteral functionQualifier, SqlParserPos pos,
        @Nullable SqlNode... operands) {
      return new SqlShow(pos, ((SqlLiteral) requireNonNull(operands[0])).getValueAs(Kind.class));
    }
  };

  private final Kind kind;

  public SqlShow(SqlParserPos pos, Kind kind) {
    super(pos);
    this.kind = requireNonNull(kind, "kind is null");
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(SqlLiteral.createSymbol(kind, getParserPosition()));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("SHOW");
    writer.keyword(kind.name());
  }
}
