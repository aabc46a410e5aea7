package io.dstream.executor.stateful;

import io.dstream.executor.plan.PlanNode;

/** Creates the operator that runs a stateful plan node. */
public final class StatefulOperators {
  private StatefulOperators() {}

  public static StatefulOperator of(PlanNode.Stateful node) {
    if (node instanceof PlanNode.Aggregate aggregate) {
      return new WindowAggregation(aggregate);
    }
    throw new IllegalArgumentException("no operator for " + node.getClass().getSimpleName());
  }

  /**
   * The map-side shuffle and the reduce stage of a stateful node other than a windowed
   * aggregate, as EXPLAIN shows them (lines indented by two, each ending with a newline).
   */
  public static String describe(PlanNode.Stateful node, int partitions) {
    return "  Shuffle(partitions=" + partitions + ")\nStage 1 (reduce, " + partitions + " tasks)\n  "
        + node.getClass().getSimpleName() + "\n";
  }
}
