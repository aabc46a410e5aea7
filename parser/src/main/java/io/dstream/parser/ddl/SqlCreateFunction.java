package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE FUNCTION [IF NOT EXISTS] name AS 'com.example.ClassName'}: a scalar function
 * implemented by the public {@code eval} methods of a Java class on the server's classpath.
 */
public final class SqlCreateFunction extends SqlCreate {
  private static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE FUNCTION", SqlKind.CREATE_FUNCTION);

  private final SqlIdentifier name;
  private final SqlLiteral className;

  public SqlCreateFunction(SqlParserPos pos, boolean replace, boolean ifNotExists,
      SqlIdentifier name, SqlLiteral className) {
    super(OPERATOR, pos, replace, ifNotExists);
    this.name = requireNonNull(name, "name is null");
    this.className = requireNonNull(className, "className is null");
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  public SqlIdentifier name() {
    return name;
  }

  /** The function's name: the last part of a compound name. */
  public String simpleName() {
    return name.names.get(name.names.size() - 1);
  }

  /** The fully qualified name of the implementing class, as written. */
  public String className() {
    return className.getValueAs(String.class);
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name, className);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (getReplace()) {
      writer.keyword("OR REPLACE");
    }
    writer.keyword("FUNCTION");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    writer.keyword("AS");
    className.unparse(writer, 0, 0);
  }
}
