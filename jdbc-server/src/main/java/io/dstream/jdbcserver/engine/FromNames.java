package io.dstream.jdbcserver.engine;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;

/** The names of the tables, streams and views a parsed query reads in its FROM clauses. */
final class FromNames {
  private FromNames() {}

  /** Adds to {@code out} the last part of each name in a FROM clause of {@code node}. */
  static void collect(SqlNode node, boolean inFrom, List<String> out) {
    if (node == null) {
      return;
    }
    if (node instanceof SqlIdentifier id) {
      if (inFrom) {
        out.add(id.names.get(id.names.size() - 1));
      }
      return;
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        collect(n, false, out);
      }
      return;
    }
    if (node instanceof SqlSelect select) {
      for (SqlNode n : select.getOperandList()) {
        collect(n, n != null && n == select.getFrom(), out);
      }
      return;
    }
    if (node instanceof SqlJoin join) {
      collect(join.getLeft(), true, out);
      collect(join.getRight(), true, out);
      collect(join.getCondition(), false, out);
      return;
    }
    if (node instanceof SqlCall call) {
      if (call.getKind() == SqlKind.AS) {
        collect(call.operand(0), inFrom, out);
        return;
      }
      for (SqlNode n : call.getOperandList()) {
        collect(n, false, out);
      }
    }
  }
}
