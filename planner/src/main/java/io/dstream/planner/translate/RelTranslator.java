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
import io.dstream.planner.catalog.TableLoader;
import io.dstream.planner.schema.TypeMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableFunctionScan;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.stream.LogicalDelta;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Translates an optimized Calcite plan of a streaming query into the executor's plan. Grouped
 * window functions ($TUMBLE, $HOP in a projection under an aggregate) and window table
 * functions both become a WindowAssign node, and the aggregate learns which group key bounds
 * the window, so that it can emit a window once the watermark passes its end. Session windows
 * ($SESSION, or the SESSION table function) become a session aggregate (see
 * {@link SessionAggregates}). ROW_NUMBER() filtered to its first rows becomes a top-N per window
 * or a deduplication (see {@link RowNumbers}).
 */
public final class RelTranslator {
  private final Catalog catalog;
  private final RexTranslator rex;
  /** Set while translating the input of a session aggregate, where the SESSION function may be. */
  private boolean sessionInput;

  private final JoinTranslator joins;
  private final RowNumbers rowNumbers;

  public RelTranslator(Catalog catalog, RexBuilder rexBuilder) {
    this(catalog, rexBuilder, TableLoader.DEFERRED);
  }

  /** A translator that reads the static tables a query joins with through {@code tables}. */
  public RelTranslator(Catalog catalog, RexBuilder rexBuilder, TableLoader tables) {
    this.catalog = catalog;
    this.rex = new RexTranslator(rexBuilder);
    this.joins = new JoinTranslator(this, catalog, rex, rexBuilder, tables);
    this.rowNumbers = new RowNumbers(this, catalog, rex);
  }

  /** Translates a query's plan; its output has exactly the columns of {@code rel}. */
  public PlanNode translate(RelNode rel) {
    PlanNode node = node(rel);
    int fields = rel.getRowType().getFieldCount();
    if (node.rowType().size() > fields) {
      // A session aggregate's trailing session end column, unused.
      List<Expr> expressions = new ArrayList<>();
      for (int i = 0; i < fields; i++) {
        expressions.add(new Expr.InputRef(i, node.rowType().type(i)));
      }
      node = new PlanNode.Project(node, expressions, TypeMapping.toRowType(rel.getRowType()));
    }
    return node;
  }

  PlanNode node(RelNode rel) {
    if (rel instanceof LogicalDelta delta) {
      return node(delta.getInput());
    }
    if (rel instanceof TableScan scan) {
      List<String> names = scan.getTable().getQualifiedName();
      StreamDefinition d = catalog.get(names.get(names.size() - 1));
      JoinTranslator.requireStream(d);
      return new PlanNode.Scan(d.name(), d.rowType(), d.timeColumn(), d.watermarkDelayMillis());
    }
    if (rel instanceof LogicalFilter filter) {
      if (RowNumbers.hasOver(filter.getInput())) {
        return rowNumbers.translate(filter);
      }
      return new PlanNode.Filter(node(filter.getInput()), rex.translate(filter.getCondition()));
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
    if (rel instanceof LogicalUnion union) {
      return union(union);
    }
    if (rel instanceof LogicalJoin join) {
      return joins.translate(join);
    }
    throw RexTranslator.unsupported(rel.getRelTypeName().replace("Logical", "")
        + " (ORDER BY, UNION without ALL, INTERSECT and EXCEPT come in a later version)");
  }

  /** UNION ALL: each input becomes an input branch of the map stage. */
  private PlanNode union(LogicalUnion union) {
    if (!union.all) {
      throw RexTranslator.unsupported("UNION without ALL on streams (removing duplicates needs unbounded state);"
          + " use UNION ALL");
    }
    List<PlanNode> inputs = new ArrayList<>();
    for (RelNode input : union.getInputs()) {
      inputs.add(translate(input));
    }
    RowType rowType = TypeMapping.toRowType(union.getRowType());
    for (PlanNode input : inputs) {
      for (int i = 0; i < rowType.size(); i++) {
        DataType a = input.rowType().type(i);
        DataType b = rowType.type(i);
        if (a.physical() != b.physical() || a.kind() == Kind.DECIMAL && a.scale() != b.scale()) {
          throw RexTranslator.unsupported("UNION ALL of column " + rowType.column(i).name() + " as " + a + " and "
              + b + "; CAST the inputs to one type");
        }
      }
    }
    return new PlanNode.Union(inputs, rowType);
  }

  private PlanNode project(LogicalProject project) {
    if (RowNumbers.hasOver(project)) {
      throw RowNumbers.unsupportedOver("a window function (OVER) other than ROW_NUMBER() filtered by a"
          + " condition on it in an enclosing query");
    }
    PlanNode input = node(project.getInput());
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
    RexShuttle sessionEnd = SessionAggregates.sessionEnd(project, input);
    List<Expr> expressions = new ArrayList<>();
    for (RexNode e : project.getProjects()) {
      if (e instanceof RexCall call && isGroupWindow(call)) {
        expressions.add(new Expr.InputRef(windowStart, DataType.of(Kind.TIMESTAMP).withNullable(false)));
      } else if (e instanceof RexCall call && SessionAggregates.isSessionGroup(call)) {
        // A row's own session starts at its time; the session aggregate merges them.
        expressions.add(rex.translate(call.getOperands().get(0)));
      } else {
        expressions.add(rex.translate(e.accept(sessionEnd)));
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
    if (name.equals("SESSION")) {
      if (!sessionInput) {
        throw RexTranslator.unsupported("the SESSION table function other than under GROUP BY window_start,"
            + " window_end and its keys (a row's session is known only once the session closes)");
      }
      return SessionAggregates.sessionRows(node(function.getInputs().get(0)), call);
    }
    if (!isWindowTableFunction(name)) {
      throw RexTranslator.unsupported("window function " + name);
    }
    RexCall descriptor = (RexCall) call.getOperands().get(0);
    int time = ((RexInputRef) descriptor.getOperands().get(0)).getIndex();
    PlanNode input = node(function.getInputs().get(0));
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
    SessionAggregates.Shape session = SessionAggregates.Shape.of(aggregate);
    if (session != null) {
      sessionInput = true;
      PlanNode input;
      try {
        input = node(aggregate.getInput());
      } finally {
        sessionInput = false;
      }
      RowType outputType = TypeMapping.toRowType(aggregate.getRowType());
      List<AggregateCall> calls = aggregateCalls(aggregate, input.rowType(), outputType);
      if (calls.stream().anyMatch(c -> c.distinct() || c.hasFilter())) {
        throw RexTranslator.unsupported("DISTINCT and FILTER in aggregates over SESSION windows");
      }
      return session.translate(input, calls);
    }
    PlanNode input = node(aggregate.getInput());
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
    RowType outputType = TypeMapping.toRowType(aggregate.getRowType());
    List<AggregateCall> calls = aggregateCalls(aggregate, input.rowType(), outputType);
    return new PlanNode.Aggregate(input, keys, calls, windowKey, endOffset, outputType);
  }

  private static List<AggregateCall> aggregateCalls(LogicalAggregate aggregate, RowType inputType,
      RowType outputType) {
    List<AggregateCall> calls = new ArrayList<>();
    int i = aggregate.getGroupCount();
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
    return calls;
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

    static long millis(RexNode node) {
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
      if (node instanceof LogicalAggregate aggregate) {
        // A group key of a windowed aggregate's output still carries its window bound.
        return field < aggregate.getGroupCount()
            ? trace(aggregate.getInput(), aggregate.getGroupSet().asList().get(field)) : null;
      }
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
