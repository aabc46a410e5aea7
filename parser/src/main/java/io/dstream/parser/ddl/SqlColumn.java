package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;

/**
 * One column of a CREATE STREAM / CREATE TABLE column list: {@code name TYPE [NOT NULL]}.
 *
 * @param name the column name, a simple identifier, with its case as written
 * @param type the declared type; its nullability is normalized to {@code nullable}
 * @param nullable false when the column was declared NOT NULL
 */
public record SqlColumn(SqlIdentifier name, SqlDataTypeSpec type, boolean nullable) {
  public SqlColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    // Keep a single source of truth: the planner may read either the flag or the type spec.
    type = type.withNullable(nullable);
  }

  /** Returns the column name as written. */
  public String simpleName() {
    return name.getSimple();
  }

  void unparse(SqlWriter writer) {
    name.unparse(writer, 0, 0);
    type.unparse(writer, 0, 0);
    if (!nullable) {
      writer.keyword("NOT NULL");
    }
  }
}
