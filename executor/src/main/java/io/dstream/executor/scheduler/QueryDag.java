package io.dstream.executor.scheduler;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.kernel.ProcessingTime;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.stateful.StatefulOperators;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A query's physical D-stream DAG, cut at its shuffle: a map stage of one or more input
 * branches (each a scan and narrow operators, then the map side of the stateful operator:
 * a partial aggregate or a join's partitioning on its keys) and, for stateful queries, a reduce
 * stage (merge into keyed state, emit what became final, narrow operators after it). A UNION ALL
 * gives one branch per input, all feeding the same shuffle (or the output); a join gives the
 * branches of its left input (side 0) and of its right input (side 1). A top-N over a windowed
 * aggregate's results ranks on the driver: {@code driverOperators} (the top-N, then narrow
 * operators) run over each batch's output of all partitions, which holds whole windows.
 */
public record QueryDag(String query, List<Branch> branches, PlanNode.Stateful stateful,
    List<PlanNode> reduceOperators, int partitions, RowType outputType, List<PlanNode> driverOperators) {

  /**
   * One input of the query: a stream's scan and the narrow operators its rows go through in the
   * map stage, feeding input {@code side} of the stateful node (0 when it has one input).
   */
  public record Branch(PlanNode.Scan scan, List<PlanNode> mapOperators, int side) {
    public Branch {
      requireNonNull(scan, "scan is null");
      mapOperators = List.copyOf(mapOperators);
    }
  }

  public QueryDag {
    requireNonNull(query, "query is null");
    branches = List.copyOf(branches);
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("a dag needs at least one input branch");
    }
    reduceOperators = List.copyOf(reduceOperators);
    driverOperators = driverOperators == null ? List.of() : List.copyOf(driverOperators);
  }

  /** A DAG without driver operators. */
  public QueryDag(String query, List<Branch> branches, PlanNode.Stateful stateful,
      List<PlanNode> reduceOperators, int partitions, RowType outputType) {
    this(query, branches, stateful, reduceOperators, partitions, outputType, List.of());
  }

  /** The rows the reduce (or map) tasks output: the input of the driver operators, if any. */
  public RowType stageOutputType() {
    return driverOperators.isEmpty() ? outputType : driverOperators.get(0).inputs().get(0).rowType();
  }

  /** A single-input DAG. */
  public QueryDag(String query, PlanNode.Scan scan, List<PlanNode> mapOperators,
      PlanNode.Stateful stateful, List<PlanNode> reduceOperators, int partitions, RowType outputType) {
    this(query, List.of(new Branch(scan, mapOperators, 0)), stateful, reduceOperators, partitions, outputType);
  }

  /** The scan of the first (for most queries, the only) input branch. */
  public PlanNode.Scan scan() {
    return branches.get(0).scan();
  }

  /** The map operators of the first (for most queries, the only) input branch. */
  public List<PlanNode> mapOperators() {
    return branches.get(0).mapOperators();
  }

  public Branch branch(int index) {
    return branches.get(index);
  }

  /** Cuts a plan into stages; {@code partitions} is the map and reduce parallelism. */
  public static QueryDag of(String query, PlanNode root, int partitions) {
    List<PlanNode> above = new ArrayList<>();
    PlanNode node = root;
    while (!(node instanceof PlanNode.Scan) && !(node instanceof PlanNode.Union)
        && !(node instanceof PlanNode.Stateful)) {
      above.add(node);
      node = next(node);
    }
    Collections.reverse(above);
    List<Branch> branches = new ArrayList<>();
    if (node instanceof PlanNode.Stateful s) {
      if (s instanceof PlanNode.Aggregate agg && agg.windowKey() < 0 && !agg.changelog()) {
        throw new EngineException(ErrorCode.UNSUPPORTED,
            "GROUP BY on a stream needs a window (TUMBLE or HOP) so that results can be final;"
                + " add a window to GROUP BY, or add EMIT CHANGES after the query for a changelog"
                + " of results that are updated as rows arrive");
      }
      PlanNode.Aggregate ranked = aggregateBelow(s);
      if (ranked != null) {
        // Top-N of an aggregate's windows: the aggregate is the shuffle; the ranking runs on the
        // driver over each batch's output, which holds whole windows.
        List<PlanNode> driver = new ArrayList<>();
        driver.add(s);
        driver.addAll(above);
        List<PlanNode> between = new ArrayList<>();
        for (PlanNode n = s.inputs().get(0); n != ranked; n = n.inputs().get(0)) {
          between.add(0, n);
        }
        branches(ranked.input(), 0, List.of(), branches);
        checkProcessingTime(branches, between);
        return new QueryDag(query, branches, ranked, between, partitions, root.rowType(), driver);
      }
      for (int side = 0; side < s.inputs().size(); side++) {
        branches(s.inputs().get(side), side, List.of(), branches);
      }
      checkProcessingTime(branches, above);
      return new QueryDag(query, branches, s, above, partitions, root.rowType());
    }
    branches(node, 0, above, branches);
    checkProcessingTime(branches, List.of());
    return new QueryDag(query, branches, null, List.of(), partitions, root.rowType());
  }

  /**
   * Adds the branches under {@code top} to {@code out}: the narrow operators down to a scan, then
   * {@code after}; a union's inputs each get their own copy of the operators above it.
   */
  private static void branches(PlanNode top, int side, List<PlanNode> after, List<Branch> out) {
    List<PlanNode> chain = new ArrayList<>();
    PlanNode node = top;
    while (!(node instanceof PlanNode.Scan) && !(node instanceof PlanNode.Union)) {
      if (node instanceof PlanNode.Stateful) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "A query with more than one stateful operator"
            + " (GROUP BY over a join, a join of a GROUP BY, or more than one level of GROUP BY) is not"
            + " supported yet");
      }
      chain.add(node);
      node = next(node);
    }
    Collections.reverse(chain);
    chain.addAll(after);
    if (node instanceof PlanNode.Scan scan) {
      out.add(new Branch(scan, chain, side));
      return;
    }
    PlanNode.Union union = (PlanNode.Union) node;
    for (PlanNode input : union.inputs()) {
      List<PlanNode> ops = new ArrayList<>();
      if (!input.rowType().equals(union.rowType())) {
        // Same physical layout; the union's names and types from here on.
        List<Expr> refs = new ArrayList<>();
        for (int i = 0; i < union.rowType().size(); i++) {
          refs.add(new Expr.InputRef(i, input.rowType().type(i)));
        }
        ops.add(new PlanNode.Project(input, refs, union.rowType()));
      }
      ops.addAll(chain);
      branches(input, side, ops, out);
    }
  }

  /**
   * The windowed aggregate (final results) under a top-N through filters and projections, or
   * null when the stateful node is not such a top-N.
   */
  private static PlanNode.Aggregate aggregateBelow(PlanNode.Stateful s) {
    if (!(s instanceof PlanNode.TopN)) {
      return null;
    }
    PlanNode n = s.inputs().get(0);
    while (n instanceof PlanNode.Project || n instanceof PlanNode.Filter) {
      n = n.inputs().get(0);
    }
    if (n instanceof PlanNode.Aggregate agg) {
      if (agg.windowKey() < 0 || agg.changelog() || agg.allowedLatenessMillis() > 0) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "A top-N over a GROUP BY needs its final windowed"
            + " results: a window in GROUP BY, without EMIT CHANGES or allowed lateness");
      }
      return agg;
    }
    return null;
  }

  /** The node a chain of operators continues with: a join's stream side, else the only input. */
  private static PlanNode next(PlanNode node) {
    if (node instanceof PlanNode.LookupJoin join) {
      return join.input();
    }
    return node.inputs().get(0);
  }

  /** The static tables the query joins with, by name, in plan order. */
  public List<String> tables() {
    List<String> out = new ArrayList<>();
    List<List<PlanNode>> stages = new ArrayList<>();
    branches.forEach(b -> stages.add(b.mapOperators()));
    stages.add(reduceOperators);
    for (List<PlanNode> stage : stages) {
      for (PlanNode n : stage) {
        if (n instanceof PlanNode.LookupJoin join) {
          out.add(join.table().table());
        }
      }
    }
    return out;
  }

  public boolean hasShuffle() {
    return stateful != null;
  }

  /** The query's windowed aggregate, or null when its stateful node is another kind (or none). */
  public PlanNode.Aggregate aggregate() {
    return stateful instanceof PlanNode.Aggregate a ? a : null;
  }

  /** The layout of a reduce partition's state between batches. */
  public RowType stateType() {
    return StatefulOperators.of(stateful).stateType();
  }

  /**
   * The columns of the rows input branch {@code branch} drops as late in its map stage: the
   * input of its window assignment, or its output when deduplication or an interval join takes
   * late rows out there; null when it drops none.
   */
  public RowType lateType(int branch) {
    Branch b = branches.get(branch);
    if (stateful instanceof PlanNode.Deduplicate
        || stateful instanceof PlanNode.Join join && join.kind() == PlanNode.Join.Kind.INTERVAL) {
      return b.mapOperators().isEmpty() ? b.scan().rowType()
          : b.mapOperators().get(b.mapOperators().size() - 1).rowType();
    }
    for (PlanNode n : b.mapOperators()) {
      if (n instanceof PlanNode.WindowAssign w) {
        return w.input().rowType();
      }
    }
    return null;
  }

  /** The group key columns, as the aggregate's output names and types them. */
  public RowType keyType() {
    List<Column> keys = new ArrayList<>();
    for (int i = 0; i < aggregate().groupKeys().size(); i++) {
      keys.add(aggregate().rowType().column(i));
    }
    return new RowType(keys);
  }

  /** The stages, operators and partitioning, as EXPLAIN shows them. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (branches.size() == 1) {
      sb.append("Stage 0 (map, ").append(partitions).append(" tasks, one per source split)\n");
      describeBranch(sb, branches.get(0), "  ");
    } else {
      sb.append("Stage 0 (map, ").append(branches.size()).append(" inputs, up to ").append(partitions)
          .append(" tasks each, one per source split; watermark = the minimum over the inputs)\n");
      for (int i = 0; i < branches.size(); i++) {
        Branch b = branches.get(i);
        sb.append("  Input ").append(i);
        if (stateful instanceof PlanNode.Join) {
          sb.append(b.side() == 0 ? " (left)" : " (right)");
        }
        sb.append(":\n");
        describeBranch(sb, b, "    ");
      }
    }
    if (stateful == null) {
      sb.append("  Output(columns=").append(names(outputType)).append(")\n");
      return sb.toString();
    }
    if (!driverOperators.isEmpty()) {
      String reduce = new QueryDag(query, branches, stateful, reduceOperators, partitions, stageOutputType())
          .describe();
      StringBuilder d = new StringBuilder(reduce.substring(0, reduce.lastIndexOf("  Output(")));
      d.append("Driver (each batch's output of all partitions: whole windows)\n");
      PlanNode.Stateful topN = (PlanNode.Stateful) driverOperators.get(0);
      String ranking = StatefulOperators.describe(topN, 1);
      d.append("  ").append(ranking.substring(ranking.lastIndexOf('\n', ranking.length() - 2) + 1).trim())
          .append('\n');
      for (PlanNode n : driverOperators.subList(1, driverOperators.size())) {
        d.append("  ").append(describe(n)).append('\n');
      }
      d.append("  Output(columns=").append(names(outputType)).append(")\n");
      return d.toString();
    }
    if (aggregate() == null) {
      sb.append(StatefulOperators.describe(stateful, partitions));
      for (PlanNode n : reduceOperators) {
        sb.append("  ").append(describe(n)).append('\n');
      }
      sb.append("  Output(columns=").append(names(outputType)).append(")\n");
      return sb.toString();
    }
    PlanNode.Aggregate aggregate = aggregate();
    sb.append("  PartialAggregate(keys=").append(names(keyType())).append(", aggregates=")
        .append(aggregates()).append(")\n");
    sb.append("  Shuffle(hash(").append(names(keyType())).append("), partitions=").append(partitions).append(")\n");
    sb.append("Stage 1 (reduce, ").append(partitions).append(" tasks, hash-partitioned on ")
        .append(names(keyType())).append(")\n");
    if (aggregate.windowKey() < 0) {
      sb.append("  Aggregate(keys=").append(names(keyType())).append(", aggregates=").append(aggregates())
          .append(", state=keyed per partition, every group kept, emit changes every batch)\n");
    } else {
      sb.append("  WindowAggregate(keys=").append(names(keyType())).append(", aggregates=").append(aggregates())
          .append(", state=keyed per partition").append(distinctState()).append(", ")
          .append(aggregate.changelog() ? "emit changes every batch, drop when watermark >= " : "emit when watermark >= ")
          .append(keyType().column(aggregate.windowKey()).name())
          .append(aggregate.windowEndOffsetMillis() == 0 ? "" : " + " + aggregate.windowEndOffsetMillis() + "ms")
          .append(aggregate.allowedLatenessMillis() == 0 ? ""
              : ", allowed lateness " + aggregate.allowedLatenessMillis() + "ms")
          .append(")\n");
    }
    for (PlanNode n : reduceOperators) {
      sb.append("  ").append(describe(n)).append('\n');
    }
    sb.append("  Output(columns=").append(names(outputType)).append(")\n");
    return sb.toString();
  }

  private static void describeBranch(StringBuilder sb, Branch branch, String indent) {
    PlanNode.Scan scan = branch.scan();
    sb.append(indent).append("Scan(stream=").append(scan.stream());
    if (scan.timeColumn() >= 0) {
      sb.append(", eventTime=").append(scan.rowType().column(scan.timeColumn()).name())
          .append(", watermarkDelay=").append(scan.watermarkDelayMillis()).append("ms");
    } else if (usesProcessingTime(branch.mapOperators())) {
      sb.append(", processingTime=batch start, watermark=batch time");
    }
    sb.append(")\n");
    for (PlanNode n : branch.mapOperators()) {
      sb.append(indent).append(describe(n)).append('\n');
    }
  }

  /** How DISTINCT aggregates keep their values, or nothing when there are none. */
  private String distinctState() {
    List<String> columns = new ArrayList<>();
    for (var a : aggregate().aggregates()) {
      String column = "$" + a.argument() + (a.hasFilter() ? " FILTER $" + a.filter() : "");
      if (a.distinct() && !columns.contains(column)) {
        columns.add(column);
      }
    }
    return columns.isEmpty() ? "" : " plus a state row per distinct value of " + String.join(", ", columns);
  }

  /**
   * Refuses PROCTIME() after the shuffle, and on an input with event time (a WATERMARK): windows
   * of such an input must use its event-time column.
   */
  private static void checkProcessingTime(List<Branch> branches, List<PlanNode> reduce) {
    for (PlanNode n : reduce) {
      if (ProcessingTime.uses(n)) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "PROCTIME() after GROUP BY is not supported;"
            + " use the window's bounds (TUMBLE_END, window_end, ...) instead");
      }
    }
    for (Branch b : branches) {
      PlanNode.Scan scan = b.scan();
      if (scan.timeColumn() >= 0 && usesProcessingTime(b.mapOperators())) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "PROCTIME() is for streams without event time,"
            + " but stream " + scan.stream() + " has one (WATERMARK FOR "
            + scan.rowType().column(scan.timeColumn()).name()
            + "): window on that column, or declare the stream without a WATERMARK");
      }
    }
  }

  private static boolean usesProcessingTime(List<PlanNode> nodes) {
    for (PlanNode n : nodes) {
      if (ProcessingTime.uses(n)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a map stage evaluates PROCTIME(): the query's watermark is then the batch time. */
  public boolean usesProcessingTime() {
    for (Branch b : branches) {
      if (usesProcessingTime(b.mapOperators())) {
        return true;
      }
    }
    return false;
  }

  private String aggregates() {
    List<String> out = new ArrayList<>();
    for (var a : aggregate().aggregates()) {
      out.add(a.kind() + "(" + (a.distinct() ? "DISTINCT " : "") + (a.argument() < 0 ? "*" : "$" + a.argument()) + ")"
          + (a.hasFilter() ? " FILTER $" + a.filter() : "") + " AS " + a.name());
    }
    return out.toString();
  }

  private static String describe(PlanNode n) {
    if (n instanceof PlanNode.Filter f) {
      return "Filter(" + expression(f.condition()) + ")";
    }
    if (n instanceof PlanNode.Project p) {
      return "Project(" + names(p.rowType()) + ")";
    }
    if (n instanceof PlanNode.WindowAssign w) {
      String kind = w.cumulative() ? "CumulateWindow(size=" + w.sizeMillis() + "ms, step=" + w.slideMillis() + "ms"
          : w.sizeMillis() == w.slideMillis() ? "TumbleWindow(size=" + w.sizeMillis() + "ms"
          : "HopWindow(size=" + w.sizeMillis() + "ms, slide=" + w.slideMillis() + "ms";
      return kind
          + (w.offsetMillis() != 0 ? ", offset=" + w.offsetMillis() + "ms" : "")
          + (w.dropLate() ? ", drop late rows" : "") + ")";
    }
    if (n instanceof PlanNode.LookupJoin j) {
      return lookupJoin(j);
    }
    return n.getClass().getSimpleName();
  }

  /** A join as EXPLAIN shows it, with the operators applied to the table once when loaded. */
  private static String lookupJoin(PlanNode.LookupJoin j) {
    PlanNode.StaticTable table = j.table();
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < j.inputKeys().size(); k++) {
      keys.add(j.input().rowType().column(j.inputKeys().get(k)).name() + " = "
          + table.table() + "." + j.build().rowType().column(j.buildKeys().get(k)).name());
    }
    List<String> build = new ArrayList<>();
    for (PlanNode b = j.build(); !(b instanceof PlanNode.StaticTable); b = b.inputs().get(0)) {
      build.add(0, describe(b));
    }
    return "BroadcastHashJoin(" + j.kind() + ", table=" + table.table()
        + (table.data().isLoaded() ? " (" + table.data().rows() + " rows)" : " (loaded when the query starts)")
        + ", keys=[" + String.join(", ", keys) + "]"
        + (j.hasCondition() ? ", condition=" + expression(j.condition()) : "")
        + (build.isEmpty() ? "" : ", table operators=" + build)
        + (j.buildFirst() ? ", table columns first" : "") + ")";
  }

  /** An expression as EXPLAIN shows it: $n for input column n, OPERATOR(operands) for a call. */
  private static String expression(Expr e) {
    if (e instanceof Expr.InputRef ref) {
      return "$" + ref.index();
    }
    if (e instanceof Expr.Literal literal) {
      Object value = literal.value();
      if (value == null) {
        return "NULL";
      }
      return switch (literal.type().kind()) {
        case VARCHAR, CHAR -> "'" + value + "'";
        case DECIMAL -> BigDecimal.valueOf((Long) value, literal.type().scale()).toPlainString();
        case TIMESTAMP -> "TIMESTAMP '" + Timestamps.format((Long) value) + "'";
        default -> String.valueOf(value);
      };
    }
    if (e instanceof Expr.FunctionCall function) {
      List<String> operands = new ArrayList<>();
      for (Expr operand : function.operands()) {
        operands.add(expression(operand));
      }
      return function.name() + "(" + String.join(", ", operands) + ")";
    }
    Expr.Call call = (Expr.Call) e;
    List<String> operands = new ArrayList<>();
    for (Expr operand : call.operands()) {
      operands.add(expression(operand));
    }
    return call.operator() + "(" + String.join(", ", operands) + ")";
  }

  private static String names(RowType type) {
    List<String> out = new ArrayList<>();
    for (Column c : type.columns()) {
      out.add(c.name());
    }
    return String.join(", ", out);
  }
}
