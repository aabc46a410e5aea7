package io.dstream.executor.scheduler;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.kernel.HashAggregator;
import io.dstream.executor.kernel.ProcessingTime;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.RowType;
import io.dstream.executor.type.Timestamps;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A query's physical D-stream DAG, cut at its shuffle: a map stage (scan and narrow operators,
 * then a partial aggregate hash-partitioned on the group keys) and, for aggregations, a reduce
 * stage (merge into keyed state, emit closed windows, narrow operators after the aggregate).
 */
public record QueryDag(String query, PlanNode.Scan scan, List<PlanNode> mapOperators,
    PlanNode.Aggregate aggregate, List<PlanNode> reduceOperators, int partitions, RowType outputType) {

  public QueryDag {
    requireNonNull(query, "query is null");
    requireNonNull(scan, "scan is null");
    mapOperators = List.copyOf(mapOperators);
    reduceOperators = List.copyOf(reduceOperators);
  }

  /** Cuts a plan into stages; {@code partitions} is the map and reduce parallelism. */
  public static QueryDag of(String query, PlanNode root, int partitions) {
    List<PlanNode> above = new ArrayList<>();
    List<PlanNode> below = new ArrayList<>();
    PlanNode.Aggregate aggregate = null;
    PlanNode node = root;
    while (!(node instanceof PlanNode.Scan)) {
      if (node instanceof PlanNode.Aggregate agg) {
        if (aggregate != null) {
          throw new EngineException(ErrorCode.UNSUPPORTED,
              "A query with more than one level of GROUP BY is not supported yet");
        }
        if (agg.windowKey() < 0) {
          throw new EngineException(ErrorCode.UNSUPPORTED,
              "GROUP BY on a stream needs a window (TUMBLE or HOP) so that results can be final;"
                  + " add a window to GROUP BY");
        }
        aggregate = agg;
      } else if (aggregate == null) {
        above.add(node);
      } else {
        below.add(node);
      }
      if (node.inputs().size() != 1) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "Joins and unions are not supported yet");
      }
      node = node.inputs().get(0);
    }
    Collections.reverse(above);
    Collections.reverse(below);
    List<PlanNode> map = aggregate == null ? above : below;
    List<PlanNode> reduce = aggregate == null ? List.of() : above;
    checkProcessingTime((PlanNode.Scan) node, map, reduce);
    return new QueryDag(query, (PlanNode.Scan) node, map, aggregate, reduce, partitions, root.rowType());
  }

  /**
   * PROCTIME() is the time of streams without event time, computed in the map stage: a stream
   * with a WATERMARK windows on its event time, and after the GROUP BY, the window bounds
   * (TUMBLE_END ...) stand for the time.
   */
  private static void checkProcessingTime(PlanNode.Scan scan, List<PlanNode> map, List<PlanNode> reduce) {
    for (PlanNode n : reduce) {
      if (ProcessingTime.uses(n)) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "PROCTIME() after GROUP BY is not supported;"
            + " use the window's bounds (TUMBLE_END, window_end, ...) instead");
      }
    }
    if (scan.timeColumn() >= 0 && usesProcessingTime(map)) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "PROCTIME() is for streams without event time, but"
          + " stream " + scan.stream() + " has one (WATERMARK FOR " + scan.rowType().column(scan.timeColumn()).name()
          + "): window on that column, or declare the stream without a WATERMARK");
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

  /**
   * Whether the map stage computes PROCTIME(): the query's watermark is then the batch time,
   * as no later row can have an earlier processing time.
   */
  public boolean usesProcessingTime() {
    return usesProcessingTime(mapOperators);
  }

  public boolean hasShuffle() {
    return aggregate != null;
  }

  public RowType stateType() {
    return HashAggregator.stateType(keyType(), aggregate.aggregates());
  }

  /** The group key columns, as the aggregate's output names and types them. */
  public RowType keyType() {
    List<Column> keys = new ArrayList<>();
    for (int i = 0; i < aggregate.groupKeys().size(); i++) {
      keys.add(aggregate.rowType().column(i));
    }
    return new RowType(keys);
  }

  /** The stages, operators and partitioning, as EXPLAIN shows them. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("Stage 0 (map, ").append(partitions).append(" tasks, one per source split)\n");
    sb.append("  Scan(stream=").append(scan.stream());
    if (scan.timeColumn() >= 0) {
      sb.append(", eventTime=").append(scan.rowType().column(scan.timeColumn()).name())
          .append(", watermarkDelay=").append(scan.watermarkDelayMillis()).append("ms");
    } else if (usesProcessingTime()) {
      sb.append(", processingTime=batch start, watermark=batch time");
    }
    sb.append(")\n");
    for (PlanNode n : mapOperators) {
      sb.append("  ").append(describe(n)).append('\n');
    }
    if (aggregate == null) {
      sb.append("  Output(columns=").append(names(outputType)).append(")\n");
      return sb.toString();
    }
    sb.append("  PartialAggregate(keys=").append(names(keyType())).append(", aggregates=")
        .append(aggregates()).append(")\n");
    sb.append("  Shuffle(hash(").append(names(keyType())).append("), partitions=").append(partitions).append(")\n");
    sb.append("Stage 1 (reduce, ").append(partitions).append(" tasks, hash-partitioned on ")
        .append(names(keyType())).append(")\n");
    sb.append("  WindowAggregate(keys=").append(names(keyType())).append(", aggregates=").append(aggregates())
        .append(", state=keyed per partition").append(distinctState()).append(", emit when watermark >= ")
        .append(keyType().column(aggregate.windowKey()).name())
        .append(aggregate.windowEndOffsetMillis() == 0 ? "" : " + " + aggregate.windowEndOffsetMillis() + "ms")
        .append(")\n");
    for (PlanNode n : reduceOperators) {
      sb.append("  ").append(describe(n)).append('\n');
    }
    sb.append("  Output(columns=").append(names(outputType)).append(")\n");
    return sb.toString();
  }

  /** How DISTINCT aggregates keep their values, or nothing when there are none. */
  private String distinctState() {
    List<String> columns = new ArrayList<>();
    for (var a : aggregate.aggregates()) {
      String column = "$" + a.argument() + (a.hasFilter() ? " FILTER $" + a.filter() : "");
      if (a.distinct() && !columns.contains(column)) {
        columns.add(column);
      }
    }
    return columns.isEmpty() ? "" : " plus a state row per distinct value of " + String.join(", ", columns);
  }

  private String aggregates() {
    List<String> out = new ArrayList<>();
    for (var a : aggregate.aggregates()) {
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
    return n.getClass().getSimpleName();
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
