package io.dstream.jdbcserver.engine;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.util.NlsString;

/**
 * The rows of {@code INSERT INTO stream [(columns)] VALUES (...), ...}, as physical values of
 * the stream's row type. Values are literals (numbers, strings, TRUE/FALSE, NULL, TIMESTAMP and
 * DATE literals), possibly signed; columns left out are NULL.
 */
final class InsertValues {
  private InsertValues() {}

  static String target(SqlInsert insert) {
    SqlIdentifier id = (SqlIdentifier) insert.getTargetTable();
    return id.names.get(id.names.size() - 1);
  }

  static List<Object[]> rows(SqlInsert insert, RowType rowType) {
    int[] columns = columns(insert.getTargetColumnList(), rowType);
    SqlNode source = insert.getSource();
    if (source.getKind() != SqlKind.VALUES) {
      throw new EngineException(ErrorCode.UNSUPPORTED, "INSERT INTO a stream takes VALUES only;"
          + " to feed a stream from a query use CREATE STREAM ... AS SELECT STREAM");
    }
    List<Object[]> rows = new ArrayList<>();
    for (SqlNode row : ((SqlCall) source).getOperandList()) {
      List<SqlNode> values = ((SqlCall) row).getOperandList();
      if (values.size() != columns.length) {
        throw error(row, "expected " + columns.length + " values, got " + values.size());
      }
      Object[] out = new Object[rowType.size()];
      for (int i = 0; i < values.size(); i++) {
        int c = columns[i];
        out[c] = value(values.get(i), rowType.type(c), rowType.column(c).name());
      }
      rows.add(out);
    }
    return rows;
  }

  private static int[] columns(SqlNodeList list, RowType rowType) {
    if (list == null || list.isEmpty()) {
      int[] all = new int[rowType.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      String name = ((SqlIdentifier) list.get(i)).getSimple();
      out[i] = rowType.indexOf(name).orElseThrow(() -> error(list, "no column '" + name + "'"));
    }
    return out;
  }

  private static Object value(SqlNode node, DataType type, String column) {
    boolean negate = false;
    SqlNode n = node;
    if (n instanceof SqlBasicCall call && (n.getKind() == SqlKind.MINUS_PREFIX || n.getKind() == SqlKind.PLUS_PREFIX)) {
      negate = n.getKind() == SqlKind.MINUS_PREFIX;
      n = call.operand(0);
    }
    if (!(n instanceof SqlLiteral literal)) {
      throw error(node, "column '" + column + "' needs a literal value, got " + node);
    }
    if (literal.getTypeName().getName().equals("NULL")) {
      if (!type.nullable()) {
        throw error(node, "column '" + column + "' is NOT NULL");
      }
      return null;
    }
    String text = text(literal);
    if (negate) {
      text = text.startsWith("-") ? text.substring(1) : "-" + text;
    }
    try {
      return switch (type.kind()) {
        case BOOLEAN -> switch (text.toUpperCase(Locale.ROOT)) {
          case "TRUE" -> Boolean.TRUE;
          case "FALSE" -> Boolean.FALSE;
          default -> throw new IllegalArgumentException("not a boolean");
        };
        case TINYINT, SMALLINT, INTEGER, BIGINT -> new BigDecimal(text).longValueExact();
        case DECIMAL -> new BigDecimal(text).setScale(type.scale(), RoundingMode.HALF_UP).unscaledValue().longValueExact();
        case REAL, DOUBLE -> Double.parseDouble(text);
        case VARCHAR, CHAR -> text;
        case TIMESTAMP -> Timestamps.parseMillis(text);
        case DATE -> Timestamps.parseDate(text);
        case TIME -> Timestamps.parseTime(text);
        default -> throw new IllegalArgumentException("unsupported column type");
      };
    } catch (RuntimeException e) {
      throw error(node, "value " + node + " does not fit column '" + column + "' of type " + type.sqlName());
    }
  }

  private static String text(SqlLiteral literal) {
    Object value = literal.getValue();
    if (value instanceof NlsString nls) {
      return nls.getValue();
    }
    if (literal.getTypeName().getName().startsWith("TIMESTAMP") || literal.getTypeName().getName().equals("DATE")
        || literal.getTypeName().getName().startsWith("TIME")) {
      return literal.toValue();
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    return literal.toValue();
  }

  private static EngineException error(SqlNode node, String message) {
    var pos = node.getParserPosition();
    return new EngineException(ErrorCode.VALIDATION_ERROR, String.format(
        "INSERT error at line %d, column %d: %s", pos.getLineNum(), pos.getColumnNum(), message));
  }
}
