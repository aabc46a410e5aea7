package io.dstream.planner.translate;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.plan.TableData;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.StreamDefinition;
import io.dstream.planner.catalog.TableLoader;
import io.dstream.planner.schema.TypeMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;

/**
 * Translates a join of a stream with a static table into a broadcast hash join
 * ({@link PlanNode.LookupJoin}): the table side, a table scan under filters and projections,
 * becomes the build side, read when the query starts; the stream side goes on as the plan's
 * chain, so the join runs in the map stage before any shuffle, and the stream's event-time
 * column passes through it. A join of two streams goes to {@link StreamJoinTranslator}.
 */
final class JoinTranslator {
  private final RelTranslator streams;
  private final Catalog catalog;
  private final RexTranslator rex;
  private final RexBuilder rexBuilder;
  private final TableLoader loader;
  /** Tables read for this query, so that a table joined twice is read once. */
  private final Map<String, TableData> loaded = new HashMap<>();

  JoinTranslator(RelTranslator streams, Catalog catalog, RexTranslator rex, RexBuilder rexBuilder,
      TableLoader loader) {
    this.streams = requireNonNull(streams, "streams is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.rex = requireNonNull(rex, "rex is null");
    this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
    this.loader = requireNonNull(loader, "loader is null");
  }

  /** Fails when a scan that must read a stream reads a static table. */
  static void requireStream(StreamDefinition d) {
    if (d.kind() == StreamDefinition.Kind.TABLE) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Table '" + d.name() + "' is static: SELECT STREAM"
          + " reads streams, and a table can only be joined with a stream (FROM s JOIN " + d.name() + " ON ...)");
    }
  }

  PlanNode translate(LogicalJoin join) {
    RelNode left = join.getLeft();
    RelNode right = join.getRight();
    boolean leftStream = readsStream(left);
    boolean rightStream = readsStream(right);
    if (leftStream && rightStream) {
      return new StreamJoinTranslator(catalog, rex, streams::translate).translate(join);
    }
    if (!leftStream && !rightStream) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR,
          "A join of two tables is not a stream: SELECT STREAM needs a stream on one side of each join");
    }
    boolean tableFirst = rightStream;
    PlanNode.JoinKind kind = kind(join.getJoinType(), tableFirst);
    JoinInfo info = JoinInfo.of(left, right, join.getCondition());
    for (boolean excludesNulls : info.nullExclusionFlags) {
      if (!excludesNulls) {
        throw RexTranslator.unsupported("IS NOT DISTINCT FROM in a join condition (use =; NULL keys never match)");
      }
    }
    PlanNode stream = streams.translate(tableFirst ? right : left);
    PlanNode build = tableSide(tableFirst ? left : right);
    List<Integer> streamKeys = tableFirst ? info.rightKeys : info.leftKeys;
    List<Integer> tableKeys = tableFirst ? info.leftKeys : info.rightKeys;
    for (int k = 0; k < streamKeys.size(); k++) {
      checkKeyTypes(stream.rowType(), streamKeys.get(k), build.rowType(), tableKeys.get(k));
    }
    RexNode remaining = info.getRemaining(rexBuilder);
    Expr condition = remaining.isAlwaysTrue()
        ? new Expr.Literal(true, DataType.of(DataType.Kind.BOOLEAN).withNullable(false))
        : rex.translate(remaining);
    RowType rowType = TypeMapping.toRowType(join.getRowType());
    return new PlanNode.LookupJoin(stream, build, kind, streamKeys, tableKeys, condition, tableFirst, rowType);
  }

  private static PlanNode.JoinKind kind(JoinRelType type, boolean tableFirst) {
    switch (type) {
      case INNER:
        return PlanNode.JoinKind.INNER;
      case LEFT:
      case RIGHT:
        boolean streamPreserved = (type == JoinRelType.LEFT) != tableFirst;
        if (streamPreserved) {
          return PlanNode.JoinKind.LEFT;
        }
        throw new EngineException(ErrorCode.UNSUPPORTED, "An outer join that keeps the rows of a table"
            + " without a match in a stream is not supported: whether a table row ever matches is never"
            + " final while the stream goes on. Keep the stream's rows instead: stream LEFT JOIN table"
            + " (or table RIGHT JOIN stream), or use an inner join");
      case FULL:
        throw new EngineException(ErrorCode.UNSUPPORTED, "FULL OUTER JOIN of a stream and a table is not"
            + " supported: whether a table row ever matches is never final while the stream goes on. Use"
            + " stream LEFT JOIN table, or an inner join");
      default:
        throw RexTranslator.unsupported(type.name().toLowerCase(Locale.ROOT)
            + " join (IN or EXISTS with a subquery); write an inner join with the table instead");
    }
  }

  /** Whether {@code rel} reads a stream anywhere below it. */
  private boolean readsStream(RelNode rel) {
    if (rel instanceof TableScan scan) {
      List<String> names = scan.getTable().getQualifiedName();
      return catalog.get(names.get(names.size() - 1)).kind() == StreamDefinition.Kind.STREAM;
    }
    for (RelNode input : rel.getInputs()) {
      if (readsStream(input)) {
        return true;
      }
    }
    return false;
  }

  /** The build side: a table under filters and projections, evaluated once per worker. */
  private PlanNode tableSide(RelNode rel) {
    if (rel instanceof TableScan scan) {
      List<String> names = scan.getTable().getQualifiedName();
      StreamDefinition d = catalog.get(names.get(names.size() - 1));
      TableData data = loaded.computeIfAbsent(d.name(), name -> loader.load(d));
      return new PlanNode.StaticTable(d.name(), d.rowType(), data);
    }
    if (rel instanceof LogicalFilter filter) {
      return new PlanNode.Filter(tableSide(filter.getInput()), rex.translate(filter.getCondition()));
    }
    if (rel instanceof LogicalProject project) {
      PlanNode input = tableSide(project.getInput());
      List<Expr> expressions = new ArrayList<>();
      for (RexNode e : project.getProjects()) {
        if (e instanceof RexCall call && RelTranslator.isGroupWindow(call)) {
          throw RexTranslator.unsupported("a window over a table");
        }
        expressions.add(rex.translate(e));
      }
      return new PlanNode.Project(input, expressions, TypeMapping.toRowType(project.getRowType()));
    }
    throw RexTranslator.unsupported(rel.getRelTypeName().replace("Logical", "")
        + " on the table side of a join (a table may be filtered and projected before it is joined)");
  }

  private static void checkKeyTypes(RowType stream, int streamKey, RowType table, int tableKey) {
    DataType a = stream.type(streamKey);
    DataType b = table.type(tableKey);
    boolean decimalScales = a.kind() != DataType.Kind.DECIMAL && b.kind() != DataType.Kind.DECIMAL
        || a.kind() == b.kind() && a.scale() == b.scale();
    if (a.physical() != b.physical() || !decimalScales) {
      throw RexTranslator.unsupported("a join key comparing " + stream.column(streamKey).name() + " ("
          + a.sqlName() + ") with " + table.column(tableKey).name() + " (" + b.sqlName() + "); CAST one side"
          + " to the type of the other");
    }
  }
}
