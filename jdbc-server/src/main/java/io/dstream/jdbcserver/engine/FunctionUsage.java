package io.dstream.jdbcserver.engine;

import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import java.util.ArrayList;
import java.util.List;

/** Finds the user-defined functions a query's operators call. */
final class FunctionUsage {
  private FunctionUsage() {}

  /** Whether {@code dag} calls the function named {@code function} (case-insensitive). */
  static boolean calls(QueryDag dag, String function) {
    List<PlanNode> nodes = new ArrayList<>(dag.mapOperators());
    nodes.addAll(dag.reduceOperators());
    for (PlanNode n : nodes) {
      List<Expr> expressions = n instanceof PlanNode.Filter f ? List.of(f.condition())
          : n instanceof PlanNode.Project p ? p.expressions() : List.of();
      for (Expr e : expressions) {
        if (calls(e, function)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean calls(Expr e, String function) {
    List<Expr> operands;
    if (e instanceof Expr.FunctionCall f) {
      if (f.name().equalsIgnoreCase(function)) {
        return true;
      }
      operands = f.operands();
    } else if (e instanceof Expr.Call c) {
      operands = c.operands();
    } else {
      return false;
    }
    for (Expr operand : operands) {
      if (calls(operand, function)) {
        return true;
      }
    }
    return false;
  }
}
