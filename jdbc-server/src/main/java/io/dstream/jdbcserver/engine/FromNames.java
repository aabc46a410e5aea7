package io.dstream.jdbcserver.engine;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
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
  /** The catalog and schema JDBC metadata shows the engine's one namespace as (see CatalogListing). */
  private static final String CATALOG = "dstream";
  private static final String SCHEMA = "default";

  private FromNames() {}

  /**
   * Rewrites, in place, each name in a FROM clause of {@code node} qualified by the engine's
   * catalog and schema ({@code dstream.default.x}, {@code "default".x}, {@code dstream.x}, any
   * case) to its simple name, as BI tools write names they got from DatabaseMetaData. Other
   * qualified names are left for the validator to report.
   */
  static void unqualify(SqlNode node) {
    unqualify(node, false);
  }

  /**
   * Rewrites, in place, the name of an object a statement creates, drops, describes or inserts
   * into: {@code "default".x} and {@code dstream."default".x} become {@code x}.
   *
   * @throws EngineException if it is qualified by another schema
   */
  static void unqualifyName(SqlIdentifier id) {
    if (id == null || id.names.size() < 2) {
      return;
    }
    List<String> prefix = id.names.subList(0, id.names.size() - 1);
    if (!isNamespace(prefix)) {
      throw new EngineException(ErrorCode.NOT_FOUND, "Schema '" + String.join(".", prefix) + "' does not exist:"
          + " DStream SQL has one schema, \"" + SCHEMA + "\" in catalog " + CATALOG + "; write " + id.names.get(
              id.names.size() - 1) + " alone");
    }
    id.setNames(List.of(id.names.get(id.names.size() - 1)), null);
  }

  private static void unqualify(SqlNode node, boolean inFrom) {
    if (node == null) {
      return;
    }
    if (node instanceof SqlIdentifier id) {
      if (inFrom && id.names.size() > 1) {
        unqualifyName(id); // or a clear error for another schema
      } else if (!inFrom && id.names.size() >= 3) {
        // a column qualified by its table's schema: "default".t.c, dstream.t.c, dstream."default".t.c
        int strip = id.names.size() >= 4 && isNamespace(id.names.subList(0, 2)) ? 2
            : isNamespace(id.names.subList(0, 1)) ? 1 : 0;
        if (strip > 0) {
          id.setNames(List.copyOf(id.names.subList(strip, id.names.size())), null);
        }
      }
      return;
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        unqualify(n, false);
      }
      return;
    }
    if (node instanceof SqlSelect select) {
      for (SqlNode n : select.getOperandList()) {
        unqualify(n, n != null && n == select.getFrom());
      }
      return;
    }
    if (node instanceof SqlJoin join) {
      unqualify(join.getLeft(), true);
      unqualify(join.getRight(), true);
      unqualify(join.getCondition(), false);
      return;
    }
    if (node instanceof SqlCall call) {
      boolean keep = call.getKind() == SqlKind.AS || call.getKind() == SqlKind.EXPLICIT_TABLE;
      for (int i = 0; i < call.getOperandList().size(); i++) {
        SqlNode n = call.getOperandList().get(i);
        unqualify(n, keep && i == 0 && (inFrom || call.getKind() == SqlKind.EXPLICIT_TABLE));
      }
    }
  }

  private static boolean isNamespace(List<String> prefix) {
    return switch (prefix.size()) {
      case 1 -> prefix.get(0).equalsIgnoreCase(SCHEMA) || prefix.get(0).equalsIgnoreCase(CATALOG);
      case 2 -> prefix.get(0).equalsIgnoreCase(CATALOG) && prefix.get(1).equalsIgnoreCase(SCHEMA);
      default -> false;
    };
  }

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
