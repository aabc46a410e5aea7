package io.dstream.planner.translate;

import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableFunctionScan;
import org.apache.calcite.rel.stream.LogicalDelta;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;

/**
 * GROUP BY over session windows, in both forms: the grouped window function
 * ({@code GROUP BY SESSION(t, gap), k} with SESSION_START and SESSION_END) and the table function
 * ({@code TABLE(SESSION(TABLE s, DESCRIPTOR(t), DESCRIPTOR(k), gap))} grouped by window_start,
 * window_end and k). Below the aggregate, each row stands for its own session: $SESSION and the
 * table function's window_start and window_end become the row's time. The aggregate becomes a
 * {@link PlanNode.SessionAggregate}, which merges them, followed by a projection back to the
 * aggregate's columns plus one trailing column, the session end, for SESSION_END.
 */
final class SessionAggregates {
  private static final DataType TIMESTAMP = DataType.of(Kind.TIMESTAMP).withNullable(false);

  private SessionAggregates() {}

  static boolean isSessionGroup(RexCall call) {
    return call.getOperator().getName().equals("$SESSION");
  }

  private static boolean isSessionEnd(RexCall call) {
    return call.getOperator().getName().equals("$SESSION_END");
  }

  /**
   * Replaces SESSION_END markers (see the planner's SessionEnd) in the expressions of
   * {@code project} by the trailing session end column of its input, a session aggregate.
   */
  static RexShuttle sessionEnd(LogicalProject project, PlanNode input) {
    int fields = project.getInput().getRowType().getFieldCount();
    return new RexShuttle() {
      @Override
      public RexNode visitCall(RexCall call) {
        if (!isSessionEnd(call)) {
          return super.visitCall(call);
        }
        if (input.rowType().size() != fields + 1) {
          throw RexTranslator.unsupported("SESSION_END other than in the SELECT list of GROUP BY SESSION(...)");
        }
        return new RexInputRef(fields, call.getType());
      }
    };
  }

  /** The SESSION table function's rows: its input, then window_start and window_end = the row's time. */
  static PlanNode sessionRows(PlanNode input, RexCall call) {
    RexCall descriptor = (RexCall) call.getOperands().get(0);
    int time = ((RexInputRef) descriptor.getOperands().get(0)).getIndex();
    List<Expr> expressions = new ArrayList<>();
    List<Column> columns = new ArrayList<>(input.rowType().columns());
    for (int i = 0; i < input.rowType().size(); i++) {
      expressions.add(new Expr.InputRef(i, input.rowType().type(i)));
    }
    expressions.add(new Expr.InputRef(time, input.rowType().type(time)));
    expressions.add(new Expr.InputRef(time, input.rowType().type(time)));
    columns.add(new Column("window_start", TIMESTAMP));
    columns.add(new Column("window_end", TIMESTAMP));
    return new PlanNode.Project(input, expressions, new RowType(columns));
  }

  /** A group key that is a session bound: its window function call and which bound. */
  private record Bound(RexCall call, boolean tableFunction, boolean isStart) {
    static Bound trace(RelNode node, int field) {
      if (node instanceof LogicalProject project) {
        RexNode e = project.getProjects().get(field);
        if (e instanceof RexInputRef ref) {
          return trace(project.getInput(), ref.getIndex());
        }
        if (e instanceof RexCall call && isSessionGroup(call)) {
          return new Bound(call, false, true);
        }
        return null;
      }
      if (node instanceof LogicalFilter || node instanceof LogicalDelta) {
        return trace(node.getInput(0), field);
      }
      if (node instanceof LogicalTableFunctionScan function && function.getCall() instanceof RexCall call
          && call.getOperator().getName().toUpperCase(Locale.ROOT).equals("SESSION")) {
        int n = function.getRowType().getFieldCount();
        return field >= n - 2 ? new Bound(call, true, field == n - 2) : null;
      }
      return null;
    }

    long gapMillis() {
      List<RexNode> operands = call.getOperands();
      return RelTranslator.WindowSpec.millis(operands.get(operands.size() - 1));
    }
  }

  /** The field of a SESSION table function's row that {@code field} of {@code node} copies, or -1. */
  private static int traceToFunction(RelNode node, int field) {
    if (node instanceof LogicalProject project) {
      RexNode e = project.getProjects().get(field);
      return e instanceof RexInputRef ref ? traceToFunction(project.getInput(), ref.getIndex()) : -1;
    }
    if (node instanceof LogicalFilter || node instanceof LogicalDelta) {
      return traceToFunction(node.getInput(0), field);
    }
    return node instanceof LogicalTableFunctionScan ? field : -1;
  }

  /** Which group keys of a session aggregate are its start, its end and its keys. */
  record Shape(LogicalAggregate aggregate, Bound bound, int startPosition, int endPosition,
      List<Integer> keyPositions) {

    /** The shape of {@code aggregate}, or null when it does not group by a session window. */
    static Shape of(LogicalAggregate aggregate) {
      List<Integer> groupKeys = aggregate.getGroupSet().asList();
      Bound bound = null;
      int start = -1;
      int end = -1;
      List<Integer> keys = new ArrayList<>();
      for (int p = 0; p < groupKeys.size(); p++) {
        Bound b = Bound.trace(aggregate.getInput(), groupKeys.get(p));
        if (b == null) {
          keys.add(p);
          continue;
        }
        if (bound != null && !bound.call().equals(b.call())) {
          throw RexTranslator.unsupported("more than one session window in one GROUP BY");
        }
        bound = b;
        if (b.isStart() && start < 0) {
          start = p;
        } else if (!b.isStart() && end < 0) {
          end = p;
        } else {
          throw RexTranslator.unsupported("a session bound twice in one GROUP BY");
        }
      }
      if (bound == null) {
        return null;
      }
      if (bound.tableFunction()) {
        checkTableFunctionKeys(aggregate, bound, start, end, keys);
      }
      return new Shape(aggregate, bound, start, end, keys);
    }

    private static void checkTableFunctionKeys(LogicalAggregate aggregate, Bound bound, int start, int end,
        List<Integer> keys) {
      if (start < 0 || end < 0) {
        throw RexTranslator.unsupported("GROUP BY over the SESSION table function without both window_start"
            + " and window_end");
      }
      List<RexNode> operands = bound.call().getOperands();
      Set<Integer> sessionKeys = new HashSet<>();
      if (operands.size() > 2) {
        for (RexNode key : ((RexCall) operands.get(1)).getOperands()) {
          sessionKeys.add(((RexInputRef) key).getIndex());
        }
      }
      Set<Integer> grouped = new HashSet<>();
      for (int p : keys) {
        grouped.add(traceToFunction(aggregate.getInput(), aggregate.getGroupSet().asList().get(p)));
      }
      if (!grouped.equals(sessionKeys)) {
        throw RexTranslator.unsupported("GROUP BY over the SESSION table function other than by window_start,"
            + " window_end and exactly the columns of its key DESCRIPTOR");
      }
    }

    /**
     * The session aggregate over {@code input} (the translated input of the aggregate), then a
     * projection to the aggregate's columns and the session end.
     */
    PlanNode translate(PlanNode input, List<AggregateCall> calls) {
      List<Integer> groupKeys = aggregate.getGroupSet().asList();
      RowType outputType = io.dstream.planner.schema.TypeMapping.toRowType(aggregate.getRowType());
      List<Integer> keys = new ArrayList<>();
      List<Column> columns = new ArrayList<>();
      for (int p : keyPositions) {
        keys.add(groupKeys.get(p));
        columns.add(outputType.column(p));
      }
      columns.add(new Column(outputType.column(startPosition).name(), TIMESTAMP));
      columns.add(new Column(endPosition >= 0 ? outputType.column(endPosition).name() : "$session_end",
          TIMESTAMP));
      int k = keys.size();
      for (int a = 0; a < calls.size(); a++) {
        columns.add(outputType.column(groupKeys.size() + a));
      }
      PlanNode.SessionAggregate session = new PlanNode.SessionAggregate(input, keys,
          groupKeys.get(startPosition), bound.gapMillis(), calls, new RowType(columns));
      List<Expr> expressions = new ArrayList<>();
      List<Column> projected = new ArrayList<>(outputType.columns());
      for (int p = 0; p < groupKeys.size(); p++) {
        int from = p == startPosition ? k : p == endPosition ? k + 1 : keyPositions.indexOf(p);
        expressions.add(new Expr.InputRef(from, session.rowType().type(from)));
      }
      for (int a = 0; a < calls.size(); a++) {
        expressions.add(new Expr.InputRef(k + 2 + a, outputType.type(groupKeys.size() + a)));
      }
      expressions.add(new Expr.InputRef(k + 1, TIMESTAMP));
      projected.add(new Column("$session_end", TIMESTAMP));
      return new PlanNode.Project(session, expressions, new RowType(projected));
    }
  }
}
