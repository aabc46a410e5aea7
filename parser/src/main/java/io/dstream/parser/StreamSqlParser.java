package io.dstream.parser;

import static java.util.Objects.requireNonNull;

import io.dstream.parser.impl.StreamSqlParserImpl;
import java.util.List;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Parses DStream SQL: Calcite's grammar (including {@code SELECT STREAM}, TUMBLE/HOP and window
 * table functions) plus the statements in {@link io.dstream.parser.ddl}. Stateless and
 * thread-safe; every call creates its own Calcite parser.
 */
public final class StreamSqlParser {
  /**
   * Identifiers keep their case and match case-insensitively: the TUMBLE/HOP table functions add
   * lower-case {@code window_start}/{@code window_end} columns, which upper-casing would break.
   * LENIENT conformance is needed for {@code a % b}; it also accepts GROUP BY aliases and
   * ordinals, {@code !=} and LIMIT, which users coming from other engines expect.
   */
  private static final SqlParser.Config CONFIG = SqlParser.config()
      .withParserFactory(StreamSqlParserImpl.FACTORY)
      .withQuoting(Quoting.DOUBLE_QUOTE)
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false)
      .withConformance(SqlConformanceEnum.LENIENT)
      .withIdentifierMaxLength(1024);

  /**
   * Writes SQL that {@link #parse} reads back: double-quoted identifiers (SqlNode.toString()
   * uses back-ticks, which this parser rejects).
   */
  private static final SqlDialect DIALECT = new SqlDialect(SqlDialect.EMPTY_CONTEXT
      .withIdentifierQuoteString("\"")
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false)
      .withConformance(SqlConformanceEnum.LENIENT));

  private StreamSqlParser() {}

  /** The parser configuration the planner must use (immutable). */
  public static SqlParser.Config config() {
    return CONFIG;
  }

  /**
   * Parses exactly one statement; a trailing semicolon is allowed.
   *
   * @throws SqlParseFailure on a syntax error, on empty input, or on more than one statement
   */
  public static SqlNode parse(String sql) {
    List<SqlNode> statements = parseList(sql);
    if (statements.isEmpty()) {
      throw SqlParseFailure.at(new SqlParserPos(1, 1),
          "Empty statement");
    }
    if (statements.size() > 1) {
      throw SqlParseFailure.at(statements.get(1).getParserPosition(),
          "Expected one statement but found " + statements.size());
    }
    return statements.get(0);
  }

  /**
   * Returns SQL text for {@code node} that this parser parses back to an equivalent tree, e.g.
   * to store a view definition. All identifiers are quoted, so their case is preserved.
   */
  public static String unparse(SqlNode node) {
    requireNonNull(node, "node is null");
    return node.toSqlString(c -> c.withDialect(DIALECT)
        .withAlwaysUseParentheses(false)
        .withSelectListItemsOnSeparateLines(false)
        .withUpdateSetListNewline(false)
        .withIndentation(0)).getSql();
  }

  /**
   * Parses a script of statements separated by semicolons (the last one optional).
   *
   * @throws SqlParseFailure on a syntax error
   */
  public static List<SqlNode> parseList(String sql) {
    requireNonNull(sql, "sql is null");
    try {
      return List.copyOf(SqlParser.create(sql, CONFIG).parseStmtList().getList());
    } catch (SqlParseException e) {
      throw SqlParseFailure.of(e);
    }
  }
}
