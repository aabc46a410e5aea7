package io.dstream.executor.scheduler;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.INTERVAL_DAY_TIME;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.rowType;

import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.List;

/**
 * Test plans, built by hand as the planner would: per auction and 10 s tumbling window, the
 * number of bids and their volume, with a watermark delay of 1 s.
 */
final class WindowedPlans {
  static final DataType PRICE = DataType.decimal(10, 2);
  static final DataType VOLUME = DataType.decimal(19, 2);
  static final RowType BIDS = rowType("auction", BIGINT, "price", PRICE, "ts", TIMESTAMP);
  static final long WINDOW = 10_000;

  private WindowedPlans() {}

  static PlanNode.Scan scan() {
    return new PlanNode.Scan("bids", BIDS, 2, 1000);
  }

  /** Scan, WindowAssign, Aggregate by (auction, window_start), Project adding window_end. */
  static PlanNode.Project bidsPerAuction(boolean dropLate) {
    PlanNode.Scan scan = scan();
    RowType windowed = BIDS.append(rowType("window_start", TIMESTAMP, "window_end", TIMESTAMP));
    PlanNode.WindowAssign window = new PlanNode.WindowAssign(scan, 2, WINDOW, WINDOW, 0, dropLate, windowed);
    PlanNode.Aggregate aggregate = new PlanNode.Aggregate(window, List.of(0, 3), List.of(
        new AggregateCall(AggregateCall.Kind.COUNT, -1, null, BIGINT, "bids"),
        new AggregateCall(AggregateCall.Kind.SUM, 1, PRICE, VOLUME, "volume"),
        new AggregateCall(AggregateCall.Kind.MAX, 1, PRICE, PRICE, "top")),
        1, WINDOW, rowType("auction", BIGINT, "window_start", TIMESTAMP, "bids", BIGINT, "volume", VOLUME,
            "top", PRICE));
    Expr windowEnd = new Expr.Call(Operator.PLUS, List.of(new Expr.InputRef(1, TIMESTAMP),
        new Expr.Literal(WINDOW, INTERVAL_DAY_TIME)), TIMESTAMP);
    return new PlanNode.Project(aggregate, List.of(new Expr.InputRef(0, BIGINT), new Expr.InputRef(1, TIMESTAMP),
        windowEnd, new Expr.InputRef(2, BIGINT), new Expr.InputRef(3, VOLUME)),
        rowType("auction", BIGINT, "window_start", TIMESTAMP, "window_end", TIMESTAMP, "bids", BIGINT,
            "volume", VOLUME));
  }

  /**
   * Per auction and 2 s tumbling window of processing time (PROCTIME()), on a stream without
   * event time: the number of bids and of distinct prices.
   */
  static PlanNode.Aggregate distinctPricesPerProcessingTimeWindow() {
    PlanNode.Scan scan = new PlanNode.Scan("bids", BIDS, -1, 0);
    RowType timed = BIDS.append(rowType("pt", TIMESTAMP));
    PlanNode.Project proctime = new PlanNode.Project(scan, List.of(new Expr.InputRef(0, BIGINT),
        new Expr.InputRef(1, PRICE), new Expr.InputRef(2, TIMESTAMP),
        new Expr.Call(Operator.PROCTIME, List.of(), TIMESTAMP)), timed);
    RowType windowed = timed.append(rowType("window_start", TIMESTAMP, "window_end", TIMESTAMP));
    PlanNode.WindowAssign window = new PlanNode.WindowAssign(proctime, 3, 2000, 2000, 0, true, windowed);
    return new PlanNode.Aggregate(window, List.of(0, 4), List.of(
        new AggregateCall(AggregateCall.Kind.COUNT, -1, null, BIGINT, "bids"),
        new AggregateCall(AggregateCall.Kind.COUNT, 1, PRICE, BIGINT, "prices", -1, true)),
        1, 2000, rowType("auction", BIGINT, "window_start", TIMESTAMP, "bids", BIGINT, "prices", BIGINT));
  }
}
