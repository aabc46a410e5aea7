package io.dstream.jdbcserver.engine;

import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.util.Litmus;

/**
 * The columns of an aggregating view's query that identify its rows: the select items that are
 * GROUP BY expressions, or bounds of a GROUP BY window ({@code TUMBLE_END(...)}, ...). They are
 * reported as the view's primary key. A query without GROUP BY, or whose select list has a
 * {@code *}, has none.
 */
final class GroupKeys {
  private static final Set<String> WINDOW_BOUNDS = Set.of(
      "TUMBLE_START", "TUMBLE_END", "HOP_START", "HOP_END", "SESSION_START", "SESSION_END");

  private GroupKeys() {}

  /** The names, in {@code rowType}, of the key columns of {@code select}'s result. */
  static List<String> of(SqlSelect select, RowType rowType) {
    SqlNodeList group = select.getGroup();
    SqlNodeList items = select.getSelectList();
    if (group == null || group.isEmpty() || items == null || items.size() != rowType.size()) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      if (item.getKind() == SqlKind.IDENTIFIER && item.toString().endsWith("*")) {
        return List.of();
      }
      SqlNode expression = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
      if (isWindowBound(expression) || isGroupExpression(expression, group)) {
        keys.add(rowType.column(i).name());
      }
    }
    return keys;
  }

  private static boolean isGroupExpression(SqlNode expression, SqlNodeList group) {
    for (SqlNode g : group) {
      if (g.equalsDeep(expression, Litmus.IGNORE)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isWindowBound(SqlNode expression) {
    return expression instanceof SqlCall call
        && WINDOW_BOUNDS.contains(call.getOperator().getName().toUpperCase(Locale.ROOT));
  }
}
