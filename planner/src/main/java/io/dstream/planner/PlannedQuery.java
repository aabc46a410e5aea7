package io.dstream.planner;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.RowType;

/** A validated streaming query: the executor's plan, its result columns, and Calcite's plan text. */
public record PlannedQuery(PlanNode plan, RowType rowType, String logicalPlan) {
  public PlannedQuery {
    requireNonNull(plan, "plan is null");
    requireNonNull(rowType, "rowType is null");
    requireNonNull(logicalPlan, "logicalPlan is null");
  }
}
