package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code CREATE STREAM} or {@code CREATE TABLE}, in one of two forms.
 *
 * <ul>
 *   <li>Source: {@code CREATE STREAM|TABLE [IF NOT EXISTS] name (col TYPE [NOT NULL], ...,
 *       [WATERMARK FOR col AS expr]) [WITH (options)]} — {@link #columns()} is non-empty and
 *       {@link #query()} is empty.
 *   <li>Derived stream: {@code CREATE STREAM [IF NOT EXISTS] name [WITH (options)] AS query} —
 *       {@link #columns()} is empty and {@link #query()} holds the query (a table cannot be
 *       derived; the grammar rejects it).
 * </ul>
 *
 * <p>A static table is the same node with {@link #isTable()} true, because the two statements
 * differ only in how the planner treats the data.
 */
public final class SqlCreateStream extends SqlCreate {
  private static final SqlOperator STREAM_OPERATOR =
      new SqlSpecialOperator("CREATE STREAM", SqlKind.CREATE_TABLE);
  private static final SqlOperator TABLE_OPERATOR =
      new SqlSpecialOperator("CREATE TABLE", SqlKind.CREATE_TABLE);

  private final boolean table;
  private final SqlIdentifier name;
  private final List<SqlColumn> columns;
  private final @Nullable SqlWatermark watermark;
  private final SqlNodeList options;
  private final @Nullable SqlNode query;

  public SqlCreateStream(SqlParserPos pos, boolean replace, boolean ifNotExists, boolean table,
      SqlIdentifier name, List<SqlColumn> columns, @Nullable SqlWatermark watermark,
      SqlNodeList options, @Nullable SqlNode query) {
    super(table ? TABLE_OPERATOR : STREAM_OPERATOR, pos, replace, ifNotExists);
    this.table = table;
    this.name = requireNonNull(name, "name is null");
    this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
    this.watermark = watermark;
    this.options = requireNonNull(options, "options is null");
    this.query = query;
  }

  /** True for CREATE TABLE (a static table), false for CREATE STREAM. */
  public boolean isTable() {
    return table;
  }

  /** True for the {@code AS query} form. */
  public boolean isDerived() {
    return query != null;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** The possibly qualified name, with its case as written. */
  public SqlIdentifier name() {
    return name;
  }

  /** The declared columns in order; empty for the {@code AS query} form. */
  public List<SqlColumn> columns() {
    return columns;
  }

  public Optional<SqlWatermark> watermark() {
    return Optional.ofNullable(watermark);
  }

  /** The WITH options as parsed: alternating key and value nodes, keys as written. */
  public SqlNodeList optionList() {
    return options;
  }

  /** The WITH options in order, keys lower-cased; see {@link SqlStreamOptions#toMap}. */
  public LinkedHashMap<String, String> options() {
    return SqlStreamOptions.toMap(options);
  }

  /** The defining query of a derived stream (usually {@code SELECT STREAM ...}). */
  public Optional<SqlNode> query() {
    return Optional.ofNullable(query);
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, options, query);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (getReplace()) {
      writer.keyword("OR REPLACE");
    }
    writer.keyword(table ? "TABLE" : "STREAM");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    if (!columns.isEmpty()) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlColumn column : columns) {
        writer.sep(",");
        column.unparse(writer);
      }
      if (watermark != null) {
        writer.sep(",");
        watermark.unparse(writer);
      }
      writer.endList(frame);
    }
    SqlStreamOptions.unparse(writer, options);
    if (query != null) {
      writer.keyword("AS");
      writer.newlineAndIndent();
      query.unparse(writer, 0, 0);
    }
  }
}
