package io.dstream.planner.translate;

import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a GROUP BY over HOP windows into an incrementally maintained sliding aggregate: rows are
 * assigned to one pane (a tumbling window of the slide) instead of size/slide windows, and the
 * aggregate keeps per-pane partials from which it slides its windows (see
 * {@link PlanNode.SlidingAggregate}). Applies when the size is a multiple of the slide, the
 * results are final (no EMIT CHANGES, no allowed lateness), and the window bounds only pass
 * through projections to group keys (no expression, filter or aggregate uses them); otherwise
 * the plan is left as it is.
 */
public final class SlidingWindows {
  private static final int ORDINARY = 0;
  private static final int START = 1;
  private static final int END = 2;

  private SlidingWindows() {}

  /** The plan with every eligible HOP aggregate made incremental. */
  public static PlanNode apply(PlanNode node) {
    if (node instanceof PlanNode.Aggregate aggregate) {
      return rewrite(aggregate);
    }
    if (node instanceof PlanNode.Filter filter) {
      PlanNode input = apply(filter.input());
      return input == filter.input() ? filter : new PlanNode.Filter(input, filter.condition());
    }
    if (node instanceof PlanNode.Project project) {
      PlanNode input = apply(project.input());
      return input == project.input() ? project
          : new PlanNode.Project(input, project.expressions(), project.rowType());
    }
    return node;
  }

  private static PlanNode rewrite(PlanNode.Aggregate aggregate) {
    if (aggregate.changelog() || aggregate.allowedLatenessMillis() > 0 || aggregate.windowKey() < 0) {
      return aggregate;
    }
    List<PlanNode> chain = new ArrayList<>();
    PlanNode node = aggregate.input();
    while (node instanceof PlanNode.Project || node instanceof PlanNode.Filter) {
      chain.add(node);
      node = node.inputs().get(0);
    }
    if (!(node instanceof PlanNode.WindowAssign window) || !window.dropLate() || window.cumulative()
        || window.slideMillis() >= window.sizeMillis() || window.sizeMillis() % window.slideMillis() != 0) {
      return aggregate;
    }
    int[] kinds = new int[window.rowType().size()];
    kinds[kinds.length - 2] = START;
    kinds[kinds.length - 1] = END;
    Collections.reverse(chain);
    for (PlanNode n : chain) {
      if (n instanceof PlanNode.Filter filter) {
        if (references(filter.condition(), kinds)) {
          return aggregate;
        }
        continue;
      }
      PlanNode.Project project = (PlanNode.Project) n;
      int[] next = new int[project.expressions().size()];
      for (int i = 0; i < next.length; i++) {
        Expr e = project.expressions().get(i);
        if (e instanceof Expr.InputRef ref) {
          next[i] = kinds[ref.index()];
        } else if (references(e, kinds)) {
          return aggregate;
        }
      }
      kinds = next;
    }
    for (AggregateCall call : aggregate.aggregates()) {
      // DISTINCT aggregates keep extra state rows per value: they stay with per-window state.
      if (call.distinct() || call.argument() >= 0 && kinds[call.argument()] != ORDINARY
          || call.hasFilter() && kinds[call.filter()] != ORDINARY) {
        return aggregate;
      }
    }
    List<Integer> startKeys = new ArrayList<>();
    List<Integer> endKeys = new ArrayList<>();
    for (int i = 0; i < aggregate.groupKeys().size(); i++) {
      int kind = kinds[aggregate.groupKeys().get(i)];
      if (kind == START) {
        startKeys.add(i);
      } else if (kind == END) {
        endKeys.add(i);
      }
    }
    if (!startKeys.contains(aggregate.windowKey()) && !endKeys.contains(aggregate.windowKey())) {
      return aggregate;
    }
    long slide = window.slideMillis();
    PlanNode input = new PlanNode.WindowAssign(window.input(), window.timeColumn(), slide, slide,
        window.offsetMillis(), true, window.rowType());
    for (PlanNode n : chain) {
      input = n instanceof PlanNode.Filter filter ? new PlanNode.Filter(input, filter.condition())
          : new PlanNode.Project(input, ((PlanNode.Project) n).expressions(), n.rowType());
    }
    return new PlanNode.SlidingAggregate(input, aggregate.groupKeys(), aggregate.aggregates(),
        aggregate.windowKey(), aggregate.windowEndOffsetMillis(), aggregate.rowType(), window.sizeMillis(), slide,
        startKeys, endKeys);
  }

  private static boolean references(Expr e, int[] kinds) {
    if (e instanceof Expr.InputRef ref) {
      return kinds[ref.index()] != ORDINARY;
    }
    if (e instanceof Expr.Call call) {
      for (Expr operand : call.operands()) {
        if (references(operand, kinds)) {
          return true;
        }
      }
    }
    return false;
  }
}
