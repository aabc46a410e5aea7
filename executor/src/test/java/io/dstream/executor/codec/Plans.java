package io.dstream.executor.codec;

import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;

/** Test plans and expressions, built by hand as the planner would. */
final class Plans {
  static final DataType BIGINT = DataType.of(Kind.BIGINT);
  static final DataType INTEGER = DataType.of(Kind.INTEGER);
  static final DataType DOUBLE = DataType.of(Kind.DOUBLE);
  static final DataType BOOLEAN = DataType.of(Kind.BOOLEAN).withNullable(false);
  static final DataType VARCHAR = DataType.of(Kind.VARCHAR);
  static final DataType TIMESTAMP = DataType.of(Kind.TIMESTAMP);
  static final DataType INTERVAL = DataType.of(Kind.INTERVAL_DAY_TIME);
  static final DataType PRICE = DataType.decimal(10, 2);
  static final DataType VOLUME = DataType.decimal(19, 2);
  static final RowType BIDS = rowType("auction", BIGINT, "bidder", BIGINT, "price", PRICE, "channel", VARCHAR,
      "url", VARCHAR, "date_time", TIMESTAMP);
  static final long WINDOW = 10_000;

  private Plans() {}

  static RowType rowType(Object... namesAndTypes) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      columns.add(new Column((String) namesAndTypes[i], (DataType) namesAndTypes[i + 1]));
    }
    return new RowType(columns);
  }

  static Expr ref(int index, DataType type) {
    return new Expr.InputRef(index, type);
  }

  static Expr literal(Object value, DataType type) {
    return new Expr.Literal(value, type);
  }

  static Expr call(Operator operator, DataType type, Expr... operands) {
    return new Expr.Call(operator, List.of(operands), type);
  }

  /** Scan, Filter, WindowAssign, Project, Aggregate with several calls, Project. */
  static PlanNode windowedPlan() {
    PlanNode.Scan scan = new PlanNode.Scan("bids", BIDS, 5, 1000);
    Expr condition = call(Operator.AND, BOOLEAN,
        call(Operator.GREATER_THAN, BOOLEAN, ref(2, PRICE), literal(1050L, PRICE)),
        call(Operator.LIKE, BOOLEAN, ref(3, VARCHAR), literal("ch%", VARCHAR)));
    PlanNode.Filter filter = new PlanNode.Filter(scan, condition);
    RowType windowed = BIDS.append(rowType("window_start", TIMESTAMP, "window_end", TIMESTAMP));
    PlanNode.WindowAssign window = new PlanNode.WindowAssign(filter, 5, WINDOW, WINDOW / 2, 0, true, windowed);
    RowType projected = rowType("auction", BIGINT, "window_start", TIMESTAMP, "price", PRICE,
        "bidder", BIGINT, "ratio", DOUBLE);
    PlanNode.Project project = new PlanNode.Project(window, List.of(ref(0, BIGINT), ref(6, TIMESTAMP),
        ref(2, PRICE), ref(1, BIGINT),
        call(Operator.DIVIDE, DOUBLE, call(Operator.CAST, DOUBLE, ref(2, PRICE)), literal(3.5, DOUBLE))), projected);
    PlanNode.Aggregate aggregate = new PlanNode.Aggregate(project, List.of(0, 1), List.of(
        new AggregateCall(AggregateCall.Kind.COUNT, -1, null, BIGINT, "bids"),
        new AggregateCall(AggregateCall.Kind.SUM, 2, PRICE, VOLUME, "volume"),
        new AggregateCall(AggregateCall.Kind.MIN, 3, BIGINT, BIGINT, "first_bidder"),
        new AggregateCall(AggregateCall.Kind.MAX, 2, PRICE, PRICE, "top"),
        new AggregateCall(AggregateCall.Kind.AVG, 4, DOUBLE, DOUBLE, "mean_ratio")),
        1, WINDOW, rowType("auction", BIGINT, "window_start", TIMESTAMP, "bids", BIGINT, "volume", VOLUME,
            "first_bidder", BIGINT, "top", PRICE, "mean_ratio", DOUBLE));
    Expr windowEnd = call(Operator.PLUS, TIMESTAMP, ref(1, TIMESTAMP), literal(WINDOW, INTERVAL));
    return new PlanNode.Project(aggregate, List.of(ref(0, BIGINT), ref(1, TIMESTAMP), windowEnd,
        ref(2, BIGINT), ref(3, VOLUME), ref(6, DOUBLE)),
        rowType("auction", BIGINT, "window_start", TIMESTAMP, "window_end", TIMESTAMP, "bids", BIGINT,
            "volume", VOLUME, "mean_ratio", DOUBLE));
  }

  /** An expression using every operator, over input (BIGINT, VARCHAR, TIMESTAMP, DOUBLE). */
  static Expr everyOperator() {
    Expr n = ref(0, BIGINT);
    Expr s = ref(1, VARCHAR);
    Expr t = ref(2, TIMESTAMP);
    Expr d = ref(3, DOUBLE);
    Expr arithmetic = call(Operator.MOD, BIGINT,
        call(Operator.TIMES, BIGINT, call(Operator.MINUS, BIGINT, call(Operator.PLUS, BIGINT, n, literal(1L, BIGINT)),
            call(Operator.NEGATE, BIGINT, n)), literal(7L, INTEGER)),
        call(Operator.DIVIDE, BIGINT, n, literal(3L, BIGINT)));
    Expr comparisons = call(Operator.OR, BOOLEAN,
        call(Operator.EQUALS, BOOLEAN, n, arithmetic),
        call(Operator.NOT_EQUALS, BOOLEAN, n, literal(null, BIGINT)),
        call(Operator.LESS_THAN, BOOLEAN, d, literal(-0.0, DOUBLE)),
        call(Operator.LESS_THAN_OR_EQUAL, BOOLEAN, d, literal(Double.NaN, DOUBLE)),
        call(Operator.GREATER_THAN, BOOLEAN, t, literal(1_767_225_600_000L, TIMESTAMP)),
        call(Operator.GREATER_THAN_OR_EQUAL, BOOLEAN, call(Operator.ABS, DOUBLE, d), literal(1e-300, DOUBLE)));
    Expr truth = call(Operator.AND, BOOLEAN,
        call(Operator.NOT, BOOLEAN, call(Operator.IS_NULL, BOOLEAN, s)),
        call(Operator.IS_NOT_NULL, BOOLEAN, d),
        call(Operator.IS_TRUE, BOOLEAN, comparisons),
        call(Operator.IS_NOT_TRUE, BOOLEAN, literal(false, BOOLEAN)),
        call(Operator.IS_FALSE, BOOLEAN, literal(null, BOOLEAN)),
        call(Operator.IS_NOT_FALSE, BOOLEAN, literal(true, BOOLEAN)),
        call(Operator.LIKE, BOOLEAN, s, literal("a_%", VARCHAR)),
        call(Operator.NOT_LIKE, BOOLEAN, s, literal("", VARCHAR)));
    Expr text = call(Operator.CONCAT, VARCHAR,
        call(Operator.UPPER, VARCHAR, s),
        call(Operator.LOWER, VARCHAR, call(Operator.TRIM, VARCHAR, s)),
        call(Operator.SUBSTRING, VARCHAR, s, literal(2L, INTEGER), literal(3L, INTEGER)),
        call(Operator.CAST, VARCHAR, call(Operator.CHAR_LENGTH, INTEGER, s)),
        call(Operator.CAST, VARCHAR, call(Operator.POSITION, INTEGER, literal("ü€😀", VARCHAR), s)),
        call(Operator.CAST, VARCHAR, call(Operator.FLOOR, DOUBLE, d)),
        call(Operator.CAST, VARCHAR, call(Operator.CEIL, DOUBLE, d)),
        call(Operator.CAST, VARCHAR, call(Operator.WINDOW_FLOOR, TIMESTAMP, t, literal(60_000L, INTERVAL),
            literal(0L, INTERVAL))),
        call(Operator.CAST, VARCHAR, call(Operator.PROCTIME, TIMESTAMP)),
        call(Operator.COALESCE, VARCHAR, literal(null, VARCHAR), literal("x", VARCHAR)));
    return call(Operator.CASE, VARCHAR, truth, text, literal(null, VARCHAR));
  }
}
