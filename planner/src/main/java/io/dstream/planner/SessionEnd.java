package io.dstream.planner;

import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Keeps SESSION_END apart from SESSION_START. Calcite converts both to the same group key (the
 * session start), so a query's SESSION_END(t, gap) is rewritten before validation to
 * {@code $SESSION_END(SESSION_START(t, gap))}: the marker survives into the relational plan,
 * where the translator replaces it with the session's end.
 */
final class SessionEnd {
  /** The marker: the session end of the session whose start is its argument. */
  static final SqlFunction MARKER = new SqlFunction("$SESSION_END", SqlKind.OTHER_FUNCTION,
      ReturnTypes.ARG0, null, OperandTypes.DATETIME, SqlFunctionCategory.SYSTEM);

  private SessionEnd() {}

  static SqlNode rewrite(SqlNode query) {
    SqlNode rewritten = query.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        SqlNode visited = super.visit(call);
        if (visited instanceof SqlBasicCall basic
            && basic.getOperator().getName().toUpperCase(Locale.ROOT).equals("SESSION_END")) {
          SqlCall start = SqlStdOperatorTable.SESSION_START.createCall(basic.getParserPosition(),
              basic.getOperandList());
          return MARKER.createCall(basic.getParserPosition(), start);
        }
        return visited;
      }
    });
    return rewritten == null ? query : rewritten;
  }
}
