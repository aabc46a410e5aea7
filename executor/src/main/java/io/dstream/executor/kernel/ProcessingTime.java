package io.dstream.executor.kernel;

import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import java.util.ArrayList;
import java.util.List;

/**
 * PROCTIME() in expressions: the processing time of a micro-batch is the same for all its rows,
 * so kernels replace the call by a constant once per batch before evaluating. Stateless.
 */
public final class ProcessingTime {
  private ProcessingTime() {}

  /** Whether {@code expr} calls PROCTIME(). */
  public static boolean uses(Expr expr) {
    if (expr instanceof Expr.Call call) {
      if (call.operator() == Operator.PROCTIME) {
        return true;
      }
      for (Expr operand : call.operands()) {
        if (uses(operand)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a Filter or Project node calls PROCTIME(). */
  public static boolean uses(PlanNode node) {
    if (node instanceof PlanNode.Filter filter) {
      return uses(filter.condition());
    }
    if (node instanceof PlanNode.Project project) {
      for (Expr e : project.expressions()) {
        if (uses(e)) {
          return true;
        }
      }
    }
    return false;
  }

  static Expr bind(Expr expr, KernelContext context) {
    return uses(expr) ? replace(expr, context.processingTime()) : expr;
  }

  static List<Expr> bind(List<Expr> expressions, KernelContext context) {
    List<Expr> out = null;
    for (int i = 0; i < expressions.size(); i++) {
      Expr e = expressions.get(i);
      if (uses(e)) {
        if (out == null) {
          out = new ArrayList<>(expressions);
        }
        out.set(i, replace(e, context.processingTime()));
      }
    }
    return out == null ? expressions : out;
  }

  private static Expr replace(Expr expr, long time) {
    if (!(expr instanceof Expr.Call call)) {
      return expr;
    }
    if (call.operator() == Operator.PROCTIME) {
      if (time == Long.MIN_VALUE) {
        throw new IllegalStateException("PROCTIME() evaluated outside a map task");
      }
      return new Expr.Literal(time, call.type());
    }
    List<Expr> operands = new ArrayList<>(call.operands().size());
    for (Expr operand : call.operands()) {
      operands.add(replace(operand, time));
    }
    return new Expr.Call(call.operator(), operands, call.type());
  }
}
