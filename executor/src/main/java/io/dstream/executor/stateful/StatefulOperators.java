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
    if (node instanceof PlanNode.SessionAggregate session) {
      return new SessionWindowAggregation(session);
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
}
