package io.dstream.planner.translate;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.planner.catalog.Catalog;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies how a query emits its results to a translated plan: the allowed lateness of its input
 * stream, and for {@code EMIT CHANGES} a changelog. A changelog aggregate appends the operation
 * column; the filters and projections above it carry the column through, and a last projection
 * puts it first, as "op": '+I' (insert), '-U' (update-before), '+U' (update-after). A query
 * without an aggregate only inserts.
 */
public final class EmitPolicy {
  /** The name of a changelog's operation column. */
  public static final String OPERATION = "op";

  private static final DataType OP_TYPE = new DataType(DataType.Kind.VARCHAR, 2, 0, false);

  private final Catalog catalog;
  private final boolean changelog;
  private boolean aggregated;

  private EmitPolicy(Catalog catalog, boolean changelog) {
    this.catalog = catalog;
    this.changelog = changelog;
  }

  /** The plan {@code root} with the emit policy applied. */
  public static PlanNode apply(PlanNode root, Catalog catalog, boolean changelog) {
    EmitPolicy policy = new EmitPolicy(catalog, changelog);
    PlanNode rewritten = policy.rewrite(root);
    if (!changelog) {
      return rewritten;
    }
    RowType type = rewritten.rowType();
    List<Expr> expressions = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    int values = policy.aggregated ? type.size() - 1 : type.size();
    expressions.add(policy.aggregated ? new Expr.InputRef(type.size() - 1, OP_TYPE) : new Expr.Literal("+I", OP_TYPE));
    columns.add(new Column(OPERATION, OP_TYPE));
    for (int i = 0; i < values; i++) {
      if (type.column(i).name().equalsIgnoreCase(OPERATION)) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "A query with EMIT CHANGES cannot have a column named '"
            + OPERATION + "': the changelog's operation column has that name; rename it with AS");
      }
      expressions.add(new Expr.InputRef(i, type.type(i)));
      columns.add(type.column(i));
    }
    return new PlanNode.Project(rewritten, expressions, new RowType(columns));
  }

  private PlanNode rewrite(PlanNode node) {
    if (node instanceof PlanNode.Aggregate aggregate) {
      aggregated = true;
      long lateness = latenessBelow(aggregate);
      if ((changelog || lateness > 0) && aggregate.aggregates().stream().anyMatch(a -> a.distinct())) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "DISTINCT aggregates cannot be updated yet: they"
            + " work with final results only, not with EMIT CHANGES or a stream's 'allowed.lateness'");
      }
      return aggregate.withPolicy(lateness, changelog, changelog ? withOp(aggregate.rowType()) : aggregate.rowType());
    }
    if (node instanceof PlanNode.Filter filter) {
      PlanNode input = rewrite(filter.input());
      return input == filter.input() ? filter : new PlanNode.Filter(input, filter.condition());
    }
    if (node instanceof PlanNode.Project project) {
      PlanNode input = rewrite(project.input());
      if (input == project.input()) {
        return project;
      }
      if (!changelog) {
        return new PlanNode.Project(input, project.expressions(), project.rowType());
      }
      List<Expr> expressions = new ArrayList<>(project.expressions());
      expressions.add(new Expr.InputRef(input.rowType().size() - 1, OP_TYPE));
      return new PlanNode.Project(input, expressions, withOp(project.rowType()));
    }
    if (node instanceof PlanNode.Stateful) {
      if (changelog) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "EMIT CHANGES works with GROUP BY (with or without a"
            + " window) and with queries without state; remove EMIT CHANGES to get final results");
      }
      return node;
    }
    return node;
  }

  /** The largest allowed lateness of the streams read below {@code node}. */
  private long latenessBelow(PlanNode node) {
    if (node instanceof PlanNode.Scan scan) {
      return catalog.find(scan.stream()).map(d -> d.allowedLatenessMillis()).orElse(0L);
    }
    long max = 0;
    for (PlanNode input : node.inputs()) {
      max = Math.max(max, latenessBelow(input));
    }
    return max;
  }

  private static RowType withOp(RowType type) {
    List<Column> columns = new ArrayList<>(type.columns());
    columns.add(new Column("$" + OPERATION, OP_TYPE));
    return new RowType(columns);
  }
}
