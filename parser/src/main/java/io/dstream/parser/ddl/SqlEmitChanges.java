package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code query EMIT CHANGES}: the query emits, every batch, a changelog of its results so far
 * (rows with an operation: insert, update-before, update-after, delete) instead of final
 * results once the watermark passes. Also allows GROUP BY without a window.
 */
public final class SqlEmitChanges extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("EMIT CHANGES", SqlKind.OTHER);

  private final SqlNode query;

  public SqlEmitChanges(SqlParserPos pos, SqlNode query) {
    super(pos);
    this.query = requireNonNull(query, "query is null");
  }

  /** The query whose changes are emitted. */
  public SqlNode query() {
    return query;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(query);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    query.unparse(writer, 0, 0);
    writer.keyword("EMIT CHANGES");
  }
}
