package io.dstream.parser.ddl;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Helpers for a {@code WITH (key = value, ...)} option list, which the parser keeps as a flat
 * {@link SqlNodeList} of alternating keys and values (the layout Calcite uses for hints).
 *
 * <p>A key is an identifier (possibly dotted: {@code event.rate}) or a string literal; a value is
 * a string, a number, TRUE/FALSE or an identifier.
 */
public final class SqlStreamOptions {
  private SqlStreamOptions() {}

  /**
   * Returns the options in declaration order, with keys lower-cased ({@link Locale#ROOT}) so that
   * connectors can look them up without caring how the user spelled them; values keep their case.
   */
  public static LinkedHashMap<String, String> toMap(SqlNodeList options) {
    requireNonNull(options, "options is null");
    LinkedHashMap<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < options.size(); i += 2) {
      map.put(normalizedKey(options.get(i)), valueText(options.get(i + 1)));
    }
    return map;
  }

  /** Returns a key as written: dotted identifier parts joined by '.', or the literal's text. */
  public static String keyText(SqlNode key) {
    requireNonNull(key, "key is null");
    if (key instanceof SqlIdentifier id) {
      return String.join(".", id.names);
    }
    return ((SqlLiteral) key).getValueAs(String.class);
  }

  /** Returns a value as text: a string's content, a number's digits, true/false, a name. */
  public static String valueText(SqlNode value) {
    requireNonNull(value, "value is null");
    if (value instanceof SqlIdentifier id) {
      return String.join(".", id.names);
    }
    SqlLiteral literal = (SqlLiteral) value;
    if (literal.getTypeName() == SqlTypeName.BOOLEAN) {
      return Boolean.toString(literal.booleanValue());
    }
    return literal.toValue();
  }

  /**
   * Called by the grammar before adding {@code key}: a repeated key (compared like
   * {@link #toMap}) would silently overwrite the earlier value, so it is a syntax error.
   */
  public static void checkNotDuplicate(List<SqlNode> keysAndValues, SqlNode key) {
    String normalized = normalizedKey(key);
    for (int i = 0; i < keysAndValues.size(); i += 2) {
      if (normalizedKey(keysAndValues.get(i)).equals(normalized)) {
        throw SqlParseErrors.at(key.getParserPosition(),
            "Duplicate option '" + keyText(key) + "'");
      }
    }
  }

  /** Writes {@code WITH (k = v, ...)}, or nothing when the list is empty. */
  public static void unparse(SqlWriter writer, SqlNodeList options) {
    if (options.isEmpty()) {
      return;
    }
    writer.keyword("WITH");
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (int i = 0; i + 1 < options.size(); i += 2) {
      writer.sep(",");
      options.get(i).unparse(writer, 0, 0);
      writer.keyword("=");
      options.get(i + 1).unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }

  private static String normalizedKey(SqlNode key) {
    return keyText(key).toLowerCase(Locale.ROOT);
  }
}
