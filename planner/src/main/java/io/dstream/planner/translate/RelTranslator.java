package io.dstream.planner.translate;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.StreamDefinition;
import io.dstream.planner.schema.TypeMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableFunctionScan;
import org.apache.calcite.rel.stream.LogicalDelta;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Translates an optimized Calcite plan of a streaming query into the executor's plan. Grouped
 * window functions ($TUMBLE, $HOP in a projection under an aggregate) and window table
 * functions both become a WindowAssign node, and the aggregate learns which group key bounds
 * the window, so that it can emit a window once the watermark passes its end.
 */
public final class RelTranslator {
  private final Catalog catalog;
  private final RexTranslator rex;

  public RelTranslator(Catalog catalog, RexBuilder rexBuilder) {
    this.catalog = catalog;
    this.rex = new RexTranslator(rexBuilder);
  }

  public PlanNode translate(RelNode rel) {
    if (rel instanceof LogicalDelta delta) {
      return translate(delta.getInput());
    }
    if (rel instanceof TableScan scan) {
      List<String> names = scan.getTable().getQualifiedName();
      StreamDefinition d = catalog.get(names.get(names.size() - 1));
      return new PlanNode.Scan(d.name(), d.rowType(), d.timeColumn(), d.watermarkDelayMillis());
    }
    if (rel instanceof LogicalFilter filter) {
      return new PlanNode.Filter(translate(filter.getInput()), rex.translate(filter.getCondition()));
    }
    if (rel instanceof LogicalProject project) {
      return project(project);
    }
    if (rel instanceof LogicalTableFunctionScan function) {
      return windowFunction(function);
    }
    if (rel instanceof LogicalAggregate aggregate) {
      return aggregate(aggregate);
    }
    throw RexTranslator.unsupported(rel.getRelTypeName().replace("Logical", "")
        + " (joins, unions, ORDER BY and set operations come in a later version)");
  }

  private PlanNode project(LogicalProject project) {
    PlanNode input = translate(project.getInput());
    // Grouped window functions: $TUMBLE(t, size) / $HOP(t, slide, size) become window columns.
    RexCall window = null;
    for (RexNode e : project.getProjects()) {
      if (e instanceof RexCall call && isGroupWindow(call)) {
        if (window != null && !window.equals(call)) {
          throw RexTranslator.unsupported("more than one window function in one GROUP BY");
        }
        window = call;
      }
    }
    int windowStart = -1;
    if (window != null) {
      RexNode timeOperand = window.getOperands().get(0);
      int time;
      if (timeOperand instanceof RexInputRef ref) {
        time = ref.getIndex();
      } else {
        input = withTimeColumn(input, timeOperand);
        time = input.rowType().size() - 1;
      }
      WindowSpec spec = WindowSpec.ofGroupFunction(window);
      input = windowAssign(input, time, spec);
      windowStart = input.rowType().size() - 2;
    }
    List<Expr> expressions = new ArrayList<>();
    for (RexNode e : project.getProjects()) {
      if (e instanceof RexCall call && isGroupWindow(call)) {
        expressions.add(new Expr.InputRef(windowStart, DataType.of(Kind.TIMESTAMP).withNullable(false)));
      } else {
        expressions.add(rex.translate(e));
      }
    }
    return new PlanNode.Project(input, expressions, TypeMapping.toRowType(project.getRowType()));
  }

  /** The input plus a column computing a window's time expression, such as PROCTIME(). */
  private PlanNode withTimeColumn(PlanNode input, RexNode time) {
    List<Expr> expressions = new ArrayList<>();
    List<Column> columns = new ArrayList<>(input.rowType().columns());
    for (int c = 0; c < columns.size(); c++) {
      expressions.add(new Expr.InputRef(c, columns.get(c).type()));
    }
    expressions.add(rex.translate(time));
    columns.add(new Column("$time", TypeMapping.toDataType(time.getType())));
    return new PlanNode.Project(input, expressions, new RowType(columns));
  }

  private PlanNode windowFunction(LogicalTableFunctionScan function) {
    if (function.getInputs().size() != 1) {
      throw RexTranslator.unsupported("table function " + function.getCall());
    }
    RexCall call = (RexCall) function.getCall();
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    if (!isWindowTableFunction(name)) {
      throw RexTranslator.unsupported("window function " + name + " (SESSION comes later)");
    }
    RexCall descriptor = (RexCall) call.getOperands().get(0);
    int time = ((RexInputRef) descriptor.getOperands().get(0)).getIndex();
    PlanNode input = translate(function.getInputs().get(0));
    return windowAssign(input, time, WindowSpec.ofTableFunction(call));
  }

  private static PlanNode windowAssign(PlanNode input, int time, WindowSpec spec) {
    List<Column> columns = new ArrayList<>(input.rowType().columns());
    DataType ts = DataType.of(Kind.TIMESTAMP).withNullable(false);
    columns.add(new Column("window_start", ts));
    columns.add(new Column("window_end", ts));
    return new PlanNode.WindowAssign(input, time, spec.size(), spec.slide(), spec.offset(), true,
        spec.cumulative(), new RowType(columns));
  }

  private PlanNode aggregate(LogicalAggregate aggregate) {
    if (aggregate.getGroupSets().size() != 1) {
      throw RexTranslator.unsupported("GROUPING SETS, ROLLUP and CUBE");
    }
    PlanNode input = translate(aggregate.getInput());
    List<Integer> keys = aggregate.getGroupSet().asList();
    int windowKey = -1;
    long endOffset = 0;
    boolean cumulativeStart = false;
    for (int k = 0; k < keys.size() && windowKey < 0; k++) {
      WindowBound bound = WindowBound.trace(aggregate.getInput(), keys.get(k));
      if (bound != null && bound.cumulative() && bound.isStart()) {
        // All the cumulative windows of a period share their start: only the end tells them apart.
        cumulativeStart = true;
      } else if (bound != null) {
        windowKey = k;
        endOffset = bound.isStart() ? bound.size() : 0;
      }
    }
    if (windowKey < 0 && cumulativeStart) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "A GROUP BY over CUMULATE windows must include"
          + " window_end: the windows of one period share their window_start (GROUP BY window_start, window_end)");
    }
    RowType inputType = input.rowType();
    RowType outputType = TypeMapping.toRowType(aggregate.getRowType());
    List<AggregateCall> calls = new ArrayList<>();
    int i = keys.size();
    for (org.apache.calcite.rel.core.AggregateCall call : aggregate.getAggCallList()) {
      AggregateCall.Kind kind = switch (call.getAggregation().getKind()) {
        case COUNT -> AggregateCall.Kind.COUNT;
        case SUM, SUM0 -> AggregateCall.Kind.SUM;
        case MIN -> AggregateCall.Kind.MIN;
        case MAX -> AggregateCall.Kind.MAX;
        case AVG -> AggregateCall.Kind.AVG;
        default -> throw RexTranslator.unsupported("aggregate " + call.getAggregation().getName());
      };
      if (call.getArgList().size() > 1) {
        throw RexTranslator.unsupported(call.getAggregation().getName() + " with several arguments");
      }
      int argument = call.getArgList().isEmpty() ? -1 : call.getArgList().get(0);
      DataType argumentType = argument < 0 ? null : inputType.type(argument);
      if (call.filterArg >= 0 && inputType.type(call.filterArg).kind() != Kind.BOOLEAN) {
        throw RexTranslator.unsupported("a FILTER clause that is not a BOOLEAN condition");
      }
      // MIN and MAX of the distinct values are MIN and MAX of all values.
      boolean distinct = call.isDistinct() && kind != AggregateCall.Kind.MIN && kind != AggregateCall.Kind.MAX;
      calls.add(new AggregateCall(kind, argument, argumentType, outputType.type(i), outputType.column(i).name(),
          call.filterArg, distinct));
      i++;
    }
    return new PlanNode.Aggregate(input, keys, calls, windowKey, endOffset, outputType);
  }

  private static boolean isWindowTableFunction(String name) {
    return name.equals("TUMBLE") || name.equals("HOP") || name.equals("CUMULATE");
  }

  static boolean isGroupWindow(RexCall call) {
    String name = call.getOperator().getName();
    return name.equals("$TUMBLE") || name.equals("$HOP");
  }

  /** Size, slide (the step of a cumulative window) and offset of a window in milliseconds. */
  record WindowSpec(long size, long slide, long offset, boolean cumulative) {
    WindowSpec(long size, long slide, long offset) {
      this(size, slide, offset, false);
    }

    static WindowSpec ofGroupFunction(RexCall call) {
      List<RexNode> ops = call.getOperands();
      if (call.getOperator().getName().equals("$TUMBLE")) {
        long size = millis(ops.get(1));
        return new WindowSpec(size, size, ops.size() > 2 ? offset(ops.get(2)) : 0);
      }
      long slide = millis(ops.get(1));
      long size = millis(ops.get(2));
      return new WindowSpec(size, slide, ops.size() > 3 ? offset(ops.get(3)) : 0);
    }

    static WindowSpec ofTableFunction(RexCall call) {
      List<RexNode> ops = call.getOperands();
      if (call.getOperator().getName().equalsIgnoreCase("TUMBLE")) {
        long size = millis(ops.get(1));
        return new WindowSpec(size, size, ops.size() > 2 ? millis(ops.get(2)) : 0);
      }
      long slide = millis(ops.get(1));
      long size = millis(ops.get(2));
      long offset = ops.size() > 3 ? millis(ops.get(3)) : 0;
      if (!call.getOperator().getName().equalsIgnoreCase("CUMULATE")) {
        return new WindowSpec(size, slide, offset);
      }
      if (size % slide != 0) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "CUMULATE: the window size (" + size
            + " ms) must be a multiple of the step (" + slide + " ms)");
      }
      return new WindowSpec(size, slide, offset, true);
    }

    private static long millis(RexNode node) {
      if (!(node instanceof RexLiteral literal)) {
        throw RexTranslator.unsupported("a window size that is not a constant interval: " + node);
      }
      Long value = literal.getValueAs(Long.class);
      if (value == null || value <= 0 && !literal.getType().getSqlTypeName().getName().startsWith("INTERVAL")) {
        throw RexTranslator.unsupported("window size " + node);
      }
      return value;
    }

    /** A window's alignment: an INTERVAL, or a TIME of day as in TUMBLE(t, size, TIME '00:00:03'). */
    private static long offset(RexNode node) {
      if (node instanceof RexLiteral literal && literal.getType().getSqlTypeName() == SqlTypeName.TIME) {
        return literal.getValueAs(Integer.class);
      }
      return millis(node);
    }
  }

  /** A column that carries a window's start or end, traced through projections and filters. */
  record WindowBound(boolean isStart, long size, boolean cumulative) {
    static WindowBound trace(RelNode node, int field) {
      if (node instanceof LogicalProject project) {
        RexNode e = project.getProjects().get(field);
        if (e instanceof RexInputRef ref) {
          return trace(project.getInput(), ref.getIndex());
        }
        if (e instanceof RexCall call && isGroupWindow(call)) {
          return new WindowBound(true, WindowSpec.ofGroupFunction(call).size(), false);
        }
        return null;
      }
      if (node instanceof LogicalFilter || node instanceof LogicalDelta) {
        return trace(node.getInput(0), field);
      }
      if (node instanceof LogicalTableFunctionScan function && function.getCall() instanceof RexCall call) {
        int n = function.getRowType().getFieldCount();
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        if (isWindowTableFunction(name) && field >= n - 2) {
          WindowSpec spec = WindowSpec.ofTableFunction(call);
          return new WindowBound(field == n - 2, spec.size(), spec.cumulative());
        }
      }
      return null;
    }
  }
}
