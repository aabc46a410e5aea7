package io.dstream.executor.stateful;

import io.dstream.executor.plan.PlanNode;
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
}
