package io.dstream.planner.translate;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.StreamDefinition;
import io.dstream.planner.schema.TypeMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableFunctionScan;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.stream.LogicalDelta;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Translates a join of two streams into a {@link PlanNode.Join}: its condition is split into
 * equi keys, a time bound and what is left (a filter above the join). A join needs a time bound
 * so that its state stays bounded: either bounds on both sides of {@code left.t - right.t} over
 * the inputs' event-time (WATERMARK) columns (an interval join), or equal window_end columns of
 * window table functions on both sides (a window join).
 */
final class StreamJoinTranslator {
  static final String NEEDS_TIME_BOUND = "A join of two streams needs a time bound: without one, every row of"
      + " both streams would have to be kept forever (a matching row may still arrive), so its state would grow"
      + " without limit. Write an interval join on the streams' WATERMARK columns, e.g. ON a.k = b.k AND a.t"
      + " BETWEEN b.t - INTERVAL '5' SECOND AND b.t + INTERVAL '5' SECOND, or a window join, e.g. FROM"
      + " TABLE(TUMBLE(TABLE a, DESCRIPTOR(t), INTERVAL '10' SECOND)) a JOIN TABLE(TUMBLE(TABLE b,"
      + " DESCRIPTOR(t), INTERVAL '10' SECOND)) b ON a.k = b.k AND a.window_start = b.window_start AND"
      + " a.window_end = b.window_end";

  private final Catalog catalog;
  private final RexTranslator rex;
  private final Function<RelNode, PlanNode> inputs;

  StreamJoinTranslator(Catalog catalog, RexTranslator rex, Function<RelNode, PlanNode> inputs) {
    this.catalog = catalog;
    this.rex = rex;
    this.inputs = inputs;
  }

  PlanNode translate(LogicalJoin join) {
    boolean leftOuter = switch (join.getJoinType()) {
      case INNER -> false;
      case LEFT -> true;
      default -> throw RexTranslator.unsupported(join.getJoinType().toString().toUpperCase(Locale.ROOT)
          + " joins of streams (INNER and LEFT OUTER joins are supported; write a RIGHT join as a LEFT one)");
    };
    int leftWidth = join.getLeft().getRowType().getFieldCount();
    List<Integer> leftKeys = new ArrayList<>();
    List<Integer> rightKeys = new ArrayList<>();
    List<RexNode> residual = new ArrayList<>();
    Bound bound = new Bound();
    int leftWindowEnd = -1;
    int rightWindowEnd = -1;
    for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
      if (conjunct.getKind() == SqlKind.EQUALS && conjunct instanceof RexCall call
          && call.getOperands().get(0) instanceof RexInputRef a && call.getOperands().get(1) instanceof RexInputRef b
          && (a.getIndex() < leftWidth) != (b.getIndex() < leftWidth)) {
        int l = Math.min(a.getIndex(), b.getIndex());
        int r = Math.max(a.getIndex(), b.getIndex()) - leftWidth;
        RelDataTypeCheck.sameKeyType(join, l, r);
        RelTranslator.WindowBound lw = RelTranslator.WindowBound.trace(join.getLeft(), l);
        RelTranslator.WindowBound rw = RelTranslator.WindowBound.trace(join.getRight(), r);
        if (lw != null && rw != null && !lw.isStart() && !rw.isStart()) {
          leftWindowEnd = l;
          rightWindowEnd = r;
        }
        leftKeys.add(l);
        rightKeys.add(r);
        continue;
      }
      if (!bound.add(conjunct, leftWidth)) {
        residual.add(conjunct);
      }
    }
    PlanNode left = inputs.apply(join.getLeft());
    PlanNode right = inputs.apply(join.getRight());
    RowType rowType = TypeMapping.toRowType(join.getRowType());
    PlanNode.Join node;
    if (leftWindowEnd >= 0) {
      if (bound.leftTime >= 0) {
        residual.addAll(bound.conjuncts);
      }
      node = new PlanNode.Join(left, right, PlanNode.Join.Kind.WINDOW, leftOuter, leftKeys, rightKeys,
          leftWindowEnd, rightWindowEnd, 0, 0, rowType);
    } else if (bound.leftTime >= 0 && bound.lower != Long.MIN_VALUE && bound.upper != Long.MAX_VALUE) {
      if (!isEventTime(join.getLeft(), bound.leftTime) || !isEventTime(join.getRight(), bound.rightTime)) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "The time bound of a join of two streams must compare"
            + " the streams' event-time columns (those declared with WATERMARK FOR), so that the watermark can"
            + " tell when a row can no longer match; " + join.getLeft().getRowType().getFieldNames()
            .get(bound.leftTime) + " or " + join.getRight().getRowType().getFieldNames().get(bound.rightTime)
            + " is not one");
      }
      if (bound.lower > bound.upper) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "The time bounds of this join can never hold: "
            + "left time - right time must be at least " + bound.lower + " ms and at most " + bound.upper + " ms");
      }
      node = new PlanNode.Join(left, right, PlanNode.Join.Kind.INTERVAL, leftOuter, leftKeys, rightKeys,
          bound.leftTime, bound.rightTime, bound.lower, bound.upper, rowType);
    } else {
      throw new EngineException(ErrorCode.UNSUPPORTED, NEEDS_TIME_BOUND);
    }
    if (residual.isEmpty()) {
      return node;
    }
    if (leftOuter) {
      throw RexTranslator.unsupported("conditions of a LEFT OUTER join of streams other than key equalities and"
          + " the time bound: " + residual);
    }
    RexNode condition = RexUtil.composeConjunction(join.getCluster().getRexBuilder(), residual);
    return new PlanNode.Filter(node, rex.translate(condition));
  }

  /** Checks that equi keys have the same physical representation on both sides. */
  private static final class RelDataTypeCheck {
    static void sameKeyType(LogicalJoin join, int left, int right) {
      DataType l = TypeMapping.toDataType(join.getLeft().getRowType().getFieldList().get(left).getType());
      DataType r = TypeMapping.toDataType(join.getRight().getRowType().getFieldList().get(right).getType());
      boolean same = l.physical() == r.physical()
          && (l.kind() != DataType.Kind.DECIMAL && r.kind() != DataType.Kind.DECIMAL || l.scale() == r.scale())
          && (l.kind() == DataType.Kind.TIMESTAMP) == (r.kind() == DataType.Kind.TIMESTAMP);
      if (!same) {
        throw RexTranslator.unsupported("a join key compared across types " + l + " and " + r
            + "; CAST one side in a subquery");
      }
    }
  }

  /**
   * The time bound {@code lower <= left.t - right.t <= upper} (milliseconds) gathered from
   * comparisons of a left and a right time column, each possibly plus or minus an interval.
   */
  private static final class Bound {
    int leftTime = -1;
    int rightTime = -1;
    long lower = Long.MIN_VALUE;
    long upper = Long.MAX_VALUE;
    final List<RexNode> conjuncts = new ArrayList<>();

    /** Adds a comparison of the form {@code ref ± interval OP ref ± interval}; false if it is not one. */
    boolean add(RexNode conjunct, int leftWidth) {
      if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
        return false;
      }
      SqlKind kind = call.getKind();
      if (kind != SqlKind.GREATER_THAN_OR_EQUAL && kind != SqlKind.GREATER_THAN && kind != SqlKind.LESS_THAN
          && kind != SqlKind.LESS_THAN_OR_EQUAL && kind != SqlKind.EQUALS) {
        return false;
      }
      Shifted a = Shifted.of(call.getOperands().get(0));
      Shifted b = Shifted.of(call.getOperands().get(1));
      if (a == null || b == null || (a.ref < leftWidth) == (b.ref < leftWidth)) {
        return false;
      }
      // a.ref + a.shift OP b.ref + b.shift, as (left - right) OP' c
      long c;
      int l;
      int r;
      if (a.ref < leftWidth) {
        l = a.ref;
        r = b.ref - leftWidth;
        c = b.shift - a.shift;
      } else {
        l = b.ref;
        r = a.ref - leftWidth;
        c = a.shift - b.shift;
        kind = kind.reverse();
      }
      if (leftTime >= 0 && (leftTime != l || rightTime != r)) {
        return false;
      }
      leftTime = l;
      rightTime = r;
      switch (kind) {
        case GREATER_THAN_OR_EQUAL -> lower = Math.max(lower, c);
        case GREATER_THAN -> lower = Math.max(lower, c + 1);
        case LESS_THAN_OR_EQUAL -> upper = Math.min(upper, c);
        case LESS_THAN -> upper = Math.min(upper, c - 1);
        default -> {
          lower = Math.max(lower, c);
          upper = Math.min(upper, c);
        }
      }
      conjuncts.add(conjunct);
      return true;
    }
  }

  /** A timestamp column plus a constant interval in milliseconds. */
  private record Shifted(int ref, long shift) {
    static Shifted of(RexNode node) {
      if (node instanceof RexInputRef ref) {
        return ref.getType().getSqlTypeName().getName().startsWith("TIMESTAMP") ? new Shifted(ref.getIndex(), 0)
            : null;
      }
      if (node instanceof RexCall call && (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS)
          && call.getOperands().size() == 2) {
        Shifted inner = of(call.getOperands().get(0));
        RexNode amount = call.getOperands().get(1);
        if (inner == null || !(amount instanceof RexLiteral literal)
            || !literal.getType().getSqlTypeName().getName().startsWith("INTERVAL")) {
          return null;
        }
        Long millis = literal.getValueAs(Long.class);
        if (millis == null || literal.getType().getSqlTypeName().getName().contains("YEAR")
            || literal.getType().getSqlTypeName().getName().contains("MONTH")) {
          return null;
        }
        return new Shifted(inner.ref, inner.shift + (call.getKind() == SqlKind.PLUS ? millis : -millis));
      }
      return null;
    }
  }

  /** Whether column {@code field} of {@code node} is an input stream's event-time column. */
  private boolean isEventTime(RelNode node, int field) {
    if (node instanceof TableScan scan) {
      List<String> names = scan.getTable().getQualifiedName();
      StreamDefinition d = catalog.get(names.get(names.size() - 1));
      return d.timeColumn() == field;
    }
    if (node instanceof LogicalProject project) {
      return project.getProjects().get(field) instanceof RexInputRef ref && isEventTime(project.getInput(), ref.getIndex());
    }
    if (node instanceof LogicalFilter || node instanceof LogicalDelta) {
      return isEventTime(node.getInput(0), field);
    }
    if (node instanceof LogicalTableFunctionScan function && function.getInputs().size() == 1) {
      return field < function.getRowType().getFieldCount() - 2 && isEventTime(function.getInputs().get(0), field);
    }
    if (node instanceof LogicalUnion union) {
      for (RelNode input : union.getInputs()) {
        if (!isEventTime(input, field)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
