package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code DROP (STREAM | TABLE | MATERIALIZED VIEW | QUERY | FUNCTION) [IF EXISTS] name}. A query id written
 * as a string literal ({@code DROP QUERY 'q3'}) arrives as the identifier {@code q3}.
 */
public final class SqlDropObject extends SqlDrop {
  /** What is dropped. */
  public enum Kind {
    STREAM("STREAM", SqlKind.DROP_TABLE),
    TABLE("TABLE", SqlKind.DROP_TABLE),
    MATERIALIZED_VIEW("MATERIALIZED VIEW", SqlKind.DROP_MATERIALIZED_VIEW),
    QUERY("QUERY", SqlKind.OTHER_DDL),
    FUNCTION("FUNCTION", SqlKind.DROP_FUNCTION);

    private final String keywords;
    private final SqlOperator operator;

    Kind(String keywords, SqlKind sqlKind) {
      this.keywords = keywords;
      this.operator = new SqlSpecialOperator("DROP " + keywords, sqlKind);
    }

    /** The SQL keywords after DROP, e.g. {@code MATERIALIZED VIEW}. */
    public String keywords() {
      return keywords;
    }
  }

  private final Kind kind;
  private final SqlIdentifier name;

  public SqlDropObject(SqlParserPos pos, Kind kind, boolean ifExists, SqlIdentifier name) {
    super(requireNonNull(kind, "kind is null").operator, pos, ifExists);
    this.kind = kind;
    this.name = requireNonNull(name, "name is null");
  }

  public Kind kind() {
    return kind;
  }

  public boolean ifExists() {
    return ifExists;
  }

  /** The object name, or the query id for {@link Kind#QUERY}. */
  public SqlIdentifier name() {
    return name;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP");
    writer.keyword(kind.keywords);
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
  }
}
