package io.dstream.planner.translate;

import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.StreamDefinition;
import io.dstream.planner.schema.TypeMapping;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableFunctionScan;
import org.apache.calcite.rel.stream.LogicalDelta;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexFieldCollation;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexWindow;
import org.apache.calcite.sql.SqlKind;

/**
 * ROW_NUMBER() in the two streaming shapes Flink SQL knows, which Calcite plans as a filter on
 * the row number over a projection computing it:
 * <ul>
 *   <li>top-N per window: {@code ROW_NUMBER() OVER (PARTITION BY window_start, window_end[, k...]
 *       ORDER BY ...) AS rn} with {@code rn <= N}, {@code rn < N} or {@code rn = 1} (also with N
 *       on the left) becomes a {@link PlanNode.TopN}: a window's rows are emitted once it closes;</li>
 *   <li>deduplication: {@code ROW_NUMBER() OVER (PARTITION BY k... ORDER BY t ASC) AS rn} with
 *       {@code rn = 1}, where t is the stream's event-time column, becomes a
 *       {@link PlanNode.Deduplicate} (keep first), with or without a window bound among the keys;
 *       keep last (ORDER BY t DESC) is a top-1 and needs a window.</li>
 * </ul>
 * The node's output is its input's columns and the row number, projected back to the
 * projection's columns; other conditions of the filter apply to the ranked rows.
 */
final class RowNumbers {
  private static final String SUPPORTED = "ROW_NUMBER() is supported as top-N per window (ROW_NUMBER() OVER"
      + " (PARTITION BY window_start, window_end[, keys] ORDER BY ...) AS rn, then WHERE rn <= N) and as"
      + " deduplication (ROW_NUMBER() OVER (PARTITION BY keys ORDER BY the event-time column ASC) AS rn, then"
      + " WHERE rn = 1)";

  private final RelTranslator streams;
  private final Catalog catalog;
  private final RexTranslator rex;

  RowNumbers(RelTranslator streams, Catalog catalog, RexTranslator rex) {
    this.streams = streams;
    this.catalog = catalog;
    this.rex = rex;
  }

  /** Whether {@code rel} is a projection with a window function (OVER). */
  static boolean hasOver(RelNode rel) {
    return rel instanceof LogicalProject project && RexOver.containsOver(project.getProjects(), null);
  }

  /** The error for a window function (OVER) used other than in the supported shapes. */
  static RuntimeException unsupportedOver(String what) {
    return RexTranslator.unsupported(what + ". " + SUPPORTED);
  }

  /** Translates {@code filter}, whose input is a projection with a window function. */
  PlanNode translate(LogicalFilter filter) {
    LogicalProject project = (LogicalProject) filter.getInput();
    int overField = -1;
    for (int i = 0; i < project.getProjects().size(); i++) {
      RexNode e = project.getProjects().get(i);
      if (e instanceof RexOver) {
        if (overField >= 0) {
          throw unsupportedOver("more than one window function (OVER) in one SELECT");
        }
        overField = i;
      } else if (RexOver.containsOver(e)) {
        throw unsupportedOver("a window function (OVER) other than ROW_NUMBER(), or inside an expression");
      }
    }
    if (overField < 0) {
      throw unsupportedOver("a window function (OVER) other than ROW_NUMBER(), or inside an expression");
    }
    RexOver over = (RexOver) project.getProjects().get(overField);
    if (over.getOperator().getKind() != SqlKind.ROW_NUMBER) {
      throw unsupportedOver("window function " + over.getOperator().getName() + " OVER (...)");
    }
    List<RexNode> rest = new ArrayList<>();
    long limit = -1;
    for (RexNode conjunct : RexUtil.flattenAnd(List.of(filter.getCondition()))) {
      long bound = rankBound(conjunct, overField);
      if (bound > 0 && limit < 0) {
        limit = bound;
      } else if (references(conjunct, overField)) {
        throw unsupportedOver("the condition " + conjunct + " on the row number");
      } else {
        rest.add(conjunct);
      }
    }
    if (limit < 0) {
      throw unsupportedOver("ROW_NUMBER() without a condition rn <= N, rn < N or rn = 1 on it");
    }
    RelNode below = project.getInput();
    boolean overAggregate = isAggregate(below);
    PlanNode input = streams.node(below);
    RexWindow window = over.getWindow();
    List<Integer> partition = new ArrayList<>();
    for (RexNode key : window.partitionKeys) {
      if (!(key instanceof RexInputRef ref)) {
        throw unsupportedOver("PARTITION BY an expression (" + key + "); partition by columns");
      }
      partition.add(ref.getIndex());
    }
    List<PlanNode.SortKey> order = new ArrayList<>();
    for (RexFieldCollation key : window.orderKeys) {
      if (!(key.left instanceof RexInputRef ref)) {
        throw unsupportedOver("ORDER BY an expression (" + key.left + ") in OVER; order by columns");
      }
      boolean descending = key.getDirection() == RelFieldCollation.Direction.DESCENDING;
      RelFieldCollation.NullDirection nulls = key.getNullDirection();
      // Calcite's default null collation (HIGH): NULLs last ascending, first descending.
      boolean nullsFirst = nulls == RelFieldCollation.NullDirection.UNSPECIFIED ? descending
          : nulls == RelFieldCollation.NullDirection.FIRST;
      order.add(new PlanNode.SortKey(ref.getIndex(), descending, nullsFirst));
    }
    int windowColumn = -1;
    long endOffset = 0;
    for (int key : partition) {
      RelTranslator.WindowBound bound = RelTranslator.WindowBound.trace(below, key);
      if (bound != null && (windowColumn < 0 || !bound.isStart() && endOffset != 0)) {
        // The window end, when partitioned by it, else the start plus the size.
        windowColumn = key;
        endOffset = bound.isStart() ? bound.size() : 0;
      }
    }
    boolean byEventTime = order.size() == 1 && isEventTime(below, order.get(0).column());
    RowType ranked = ranked(input.rowType(), project.getRowType().getFieldNames().get(overField));
    PlanNode node;
    if (overAggregate) {
      // The aggregate's windows are final when emitted: rank them per window (on the driver).
      if (windowColumn < 0) {
        throw unsupportedOver("ROW_NUMBER() over a GROUP BY's results without window_start or window_end of"
            + " its window in PARTITION BY (a top-N per window of the aggregate)");
      }
      if (order.isEmpty()) {
        throw unsupportedOver("ROW_NUMBER() without ORDER BY (the ranking would be arbitrary)");
      }
      node = new PlanNode.TopN(input, partition, order, limit, windowColumn, endOffset, ranked);
    } else if (byEventTime && !order.get(0).descending() && limit == 1) {
      node = new PlanNode.Deduplicate(input, partition, order.get(0).column(), windowColumn, endOffset, ranked);
    } else if (windowColumn >= 0) {
      if (order.isEmpty()) {
        throw unsupportedOver("ROW_NUMBER() without ORDER BY (the ranking would be arbitrary)");
      }
      node = new PlanNode.TopN(input, partition, order, limit, windowColumn, endOffset, ranked);
    } else if (byEventTime && order.get(0).descending() && limit == 1) {
      throw RexTranslator.unsupported("deduplication keeping the last row (ORDER BY "
          + input.rowType().column(order.get(0).column()).name() + " DESC) on an unbounded stream: the last"
          + " row of a key is never final. Add window_start and window_end of a window table function to"
          + " PARTITION BY (the last row per window is emitted when the window closes), or keep the first row"
          + " (ORDER BY " + input.rowType().column(order.get(0).column()).name() + " ASC)");
    } else {
      throw unsupportedOver("ROW_NUMBER() on an unbounded stream other than deduplication; for a top-N, add"
          + " window_start and window_end of a window table function (TUMBLE, HOP) to PARTITION BY");
    }
    List<Expr> expressions = new ArrayList<>();
    int rn = input.rowType().size();
    for (int i = 0; i < project.getProjects().size(); i++) {
      expressions.add(i == overField ? new Expr.InputRef(rn, ranked.type(rn))
          : rex.translate(project.getProjects().get(i)));
    }
    RowType projected = TypeMapping.toRowType(project.getRowType());
    PlanNode result = isIdentity(expressions, ranked.size()) && projected.equals(ranked) ? node
        : new PlanNode.Project(node, expressions, projected);
    if (!rest.isEmpty()) {
      RexNode condition = RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), rest);
      result = new PlanNode.Filter(result, rex.translate(condition));
    }
    return result;
  }

  /** Whether {@code node} is an aggregate, possibly under projections and filters. */
  private static boolean isAggregate(RelNode node) {
    while (node instanceof LogicalProject || node instanceof LogicalFilter || node instanceof LogicalDelta) {
      node = node.getInput(0);
    }
    return node instanceof org.apache.calcite.rel.logical.LogicalAggregate;
  }

  private static boolean isIdentity(List<Expr> expressions, int columns) {
    if (expressions.size() != columns) {
      return false;
    }
    for (int i = 0; i < columns; i++) {
      if (!(expressions.get(i) instanceof Expr.InputRef ref) || ref.index() != i) {
        return false;
      }
    }
    return true;
  }

  private static RowType ranked(RowType input, String name) {
    List<Column> columns = new ArrayList<>(input.columns());
    String unique = name;
    while (input.indexOf(unique).isPresent()) {
      unique = "$" + unique;
    }
    columns.add(new Column(unique, DataType.of(DataType.Kind.BIGINT).withNullable(false)));
    return new RowType(columns);
  }

  /**
   * N when {@code e} is rn &lt;= N, rn &lt; N + 1 or rn = 1 (or the same with rn on the right) on
   * field {@code rn}; else -1.
   */
  private static long rankBound(RexNode e, int rn) {
    if (!(e instanceof RexCall call) || call.getOperands().size() != 2) {
      return -1;
    }
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    SqlKind kind = call.getKind();
    if (isField(right, rn) && literal(left) != null) {
      kind = kind.reverse();
      RexNode t = left;
      left = right;
      right = t;
    }
    Long value = literal(right);
    if (!isField(left, rn) || value == null) {
      return -1;
    }
    return switch (kind) {
      case LESS_THAN_OR_EQUAL -> value >= 1 ? value : -1;
      case LESS_THAN -> value >= 2 ? value - 1 : -1;
      case EQUALS -> value == 1 ? 1 : -1;
      default -> -1;
    };
  }

  private static boolean isField(RexNode e, int field) {
    if (e instanceof RexCall call && call.getKind() == SqlKind.CAST) {
      return isField(call.getOperands().get(0), field);
    }
    return e instanceof RexInputRef ref && ref.getIndex() == field;
  }

  private static Long literal(RexNode e) {
    if (!(e instanceof RexLiteral literal)) {
      return null;
    }
    BigDecimal value = literal.getValueAs(BigDecimal.class);
    if (value == null || value.stripTrailingZeros().scale() > 0) {
      return null;
    }
    return value.longValue();
  }

  private static boolean references(RexNode e, int field) {
    return org.apache.calcite.plan.RelOptUtil.InputFinder.bits(e).get(field);
  }

  /** Whether field {@code field} of {@code node} is its stream's event-time column, unchanged. */
  private boolean isEventTime(RelNode node, int field) {
    if (node instanceof LogicalProject project) {
      RexNode e = project.getProjects().get(field);
      return e instanceof RexInputRef ref && isEventTime(project.getInput(), ref.getIndex());
    }
    if (node instanceof LogicalFilter || node instanceof LogicalDelta) {
      return isEventTime(node.getInput(0), field);
    }
    if (node instanceof LogicalTableFunctionScan function && function.getInputs().size() == 1) {
      int n = function.getRowType().getFieldCount();
      String name = ((RexCall) function.getCall()).getOperator().getName().toUpperCase(Locale.ROOT);
      return (name.equals("TUMBLE") || name.equals("HOP")) && field < n - 2
          && isEventTime(function.getInputs().get(0), field);
    }
    if (node instanceof TableScan scan) {
      List<String> names = scan.getTable().getQualifiedName();
      StreamDefinition d = catalog.find(names.get(names.size() - 1)).orElse(null);
      return d != null && d.timeColumn() == field;
    }
    return false;
  }
}
