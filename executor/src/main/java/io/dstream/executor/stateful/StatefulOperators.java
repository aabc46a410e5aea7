package io.dstream.executor.stateful;

import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;

/** Creates the operator that runs a stateful plan node. */
public final class StatefulOperators {
  private StatefulOperators() {}

  public static StatefulOperator of(PlanNode.Stateful node) {
    if (node instanceof PlanNode.Aggregate aggregate) {
      return new WindowAggregation(aggregate);
    }
    if (node instanceof PlanNode.SlidingAggregate sliding) {
      return new SlidingWindowAggregation(sliding);
    }
    if (node instanceof PlanNode.SessionAggregate session) {
      return new SessionWindowAggregation(session);
    }
    if (node instanceof PlanNode.Join join) {
      return new StreamJoin(join);
    }
    if (node instanceof PlanNode.TopN topN) {
      return new WindowTopN(topN);
    }
    if (node instanceof PlanNode.Deduplicate dedup) {
      return new Deduplication(dedup);
    }
    throw new IllegalArgumentException("no operator for " + node.getClass().getSimpleName());
  }

  /**
   * The map-side shuffle and the reduce stage of a stateful node other than a windowed
   * aggregate, as EXPLAIN shows them (lines indented by two, each ending with a newline).
   */
  public static String describe(PlanNode.Stateful node, int partitions) {
    if (node instanceof PlanNode.SessionAggregate session) {
      String keys = names(session, session.keys().size());
      return "  Shuffle(hash(" + keys + "), partitions=" + partitions + ")\nStage 1 (reduce, " + partitions
          + " tasks, hash-partitioned on " + keys + ")\n  " + SessionWindowAggregation.describe(session) + "\n";
    }
    if (node instanceof PlanNode.SlidingAggregate sliding) {
      List<String> others = new ArrayList<>();
      List<String> aggregates = new ArrayList<>();
      for (int i = 0; i < sliding.groupKeys().size(); i++) {
        if (!sliding.startKeys().contains(i) && !sliding.endKeys().contains(i)) {
          others.add(sliding.rowType().column(i).name());
        }
      }
      for (var a : sliding.aggregates()) {
        aggregates.add(a.kind() + "(" + (a.argument() < 0 ? "*" : "$" + a.argument()) + ") AS " + a.name());
      }
      String keys = others.isEmpty() ? "()" : String.join(", ", others);
      return "  PartialAggregate(per group and pane of " + sliding.slideMillis() + "ms, aggregates=" + aggregates
          + ")\n  Shuffle(hash(" + keys + "), partitions=" + partitions + ")\nStage 1 (reduce, " + partitions
          + " tasks, hash-partitioned on " + keys + ")\n  SlidingWindowAggregate(keys=" + names(sliding,
          sliding.groupKeys().size()) + ", size=" + sliding.sizeMillis() + "ms, slide=" + sliding.slideMillis()
          + "ms, state=one partial per group and pane; COUNT/SUM/AVG slide by adding and subtracting panes,"
          + " MIN/MAX merge panes; emit when watermark >= window end)\n";
    }
    if (node instanceof PlanNode.Join join) {
      return describeJoin(join, partitions);
    }
    if (node instanceof PlanNode.TopN topN) {
      String keys = WindowTopN.names(topN.input().rowType(), topN.partitionKeys());
      return "  PartialTopN(first " + topN.limit() + " rows per key)\n  Shuffle(hash(" + keys + "), partitions="
          + partitions + ")\nStage 1 (reduce, " + partitions + " tasks, hash-partitioned on " + keys + ")\n  "
          + WindowTopN.describe(topN) + "\n";
    }
    if (node instanceof PlanNode.Deduplicate dedup) {
      String keys = WindowTopN.names(dedup.input().rowType(), dedup.keys());
      return "  Shuffle(hash(" + keys + "), partitions=" + partitions + ")\nStage 1 (reduce, " + partitions
          + " tasks, hash-partitioned on " + keys + ")\n  " + Deduplication.describe(dedup) + "\n";
    }
    return "  Shuffle(partitions=" + partitions + ")\nStage 1 (reduce, " + partitions + " tasks)\n  "
        + node.getClass().getSimpleName() + "\n";
  }

  /** The names of the first {@code count} output columns of {@code node}. */
  private static String names(PlanNode node, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(node.rowType().column(i).name());
    }
    return out.isEmpty() ? "()" : String.join(", ", out);
  }

  private static String offset(long millis) {
    return millis == 0 ? "" : millis > 0 ? " + " + millis + "ms" : " - " + -millis + "ms";
  }

  private static String describeJoin(PlanNode.Join join, int partitions) {
    RowType left = join.left().rowType();
    RowType right = join.right().rowType();
    List<String> leftKeys = new ArrayList<>();
    List<String> rightKeys = new ArrayList<>();
    List<String> conditions = new ArrayList<>();
    for (int i = 0; i < join.leftKeys().size(); i++) {
      String l = left.column(join.leftKeys().get(i)).name();
      String r = right.column(join.rightKeys().get(i)).name();
      leftKeys.add(l);
      rightKeys.add(r);
      conditions.add("left." + l + " = right." + r);
    }
    String lt = "left." + left.column(join.leftTime()).name();
    String rt = "right." + right.column(join.rightTime()).name();
    StringBuilder sb = new StringBuilder();
    sb.append("  Shuffle(side, hash(left: ").append(String.join(", ", leftKeys)).append("; right: ")
        .append(String.join(", ", rightKeys)).append("), partitions=").append(partitions).append(")\n");
    sb.append("Stage 1 (reduce, ").append(partitions).append(" tasks, hash-partitioned on the join keys)\n");
    String type = join.leftOuter() ? "LEFT OUTER" : "INNER";
    if (join.kind() == PlanNode.Join.Kind.INTERVAL) {
      sb.append("  IntervalJoin(").append(type).append(", ").append(String.join(" AND ", conditions))
          .append(", ").append(lt).append(" - ").append(rt).append(" BETWEEN ").append(join.lowerMillis())
          .append("ms AND ").append(join.upperMillis()).append("ms, state=rows of both sides, a left row kept")
          .append(" while ").append(lt).append(" >= watermark").append(offset(join.lowerMillis()))
          .append(", a right row while ").append(rt).append(" >= watermark").append(offset(-join.upperMillis()))
          .append(")\n");
    } else {
      sb.append("  WindowJoin(").append(type).append(", ").append(String.join(" AND ", conditions))
          .append(", state=rows of open windows, emit when watermark >= ").append(lt).append(")\n");
    }
    return sb.toString();
  }
}
