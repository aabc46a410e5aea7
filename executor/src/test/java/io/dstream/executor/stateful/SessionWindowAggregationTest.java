package io.dstream.executor.stateful;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.TestBatches;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionWindowAggregationTest {
  private static final RowType INPUT = rowType("k", VARCHAR, "price", BIGINT, "t", TIMESTAMP);
  private static final long GAP = 5000;

  private final BufferAllocator allocator = new RootAllocator();
  private final OperatorHarness harness = new OperatorHarness(StatefulOperators.of(sessions()), 2, allocator);

  @AfterEach
  void close() {
    harness.close();
    allocator.close(); // fails on a leak
  }

  private static PlanNode.SessionAggregate sessions() {
    PlanNode.Scan scan = new PlanNode.Scan("s", INPUT, 2, 0);
    return new PlanNode.SessionAggregate(scan, List.of(0), 2, GAP, List.of(
        new AggregateCall(AggregateCall.Kind.COUNT, -1, null, BIGINT, "n"),
        new AggregateCall(AggregateCall.Kind.SUM, 1, BIGINT, BIGINT, "total")),
        rowType("k", VARCHAR, "window_start", TIMESTAMP, "window_end", TIMESTAMP, "n", BIGINT, "total", BIGINT));
  }

  private ColumnBatch input(Object[]... rows) {
    return TestBatches.batch(allocator, INPUT, rows);
  }

  private static Object[] r(String k, long price, Long t) {
    return new Object[] {k, price, t};
  }

  @Test
  void rowsLessThanTheGapApartFormOneSessionEmittedWhenTheWatermarkReachesItsEnd() {
    assertThat(harness.batch(input(r("a", 1, 1000L), r("a", 2, 4000L), r("b", 5, 2000L)), 3000)).isEmpty();
    // 9000 is exactly the gap after 4000: a new session.
    assertThat(harness.batch(input(r("a", 4, 9000L), r("a", 8, null)), 6000)).isEmpty();
    assertThat(harness.batch(input(), 9000)).containsExactly(
        row("b", 2000L, 7000L, 1L, 5L), row("a", 1000L, 9000L, 2L, 3L));
    assertThat(harness.batch(input(), Long.MAX_VALUE)).containsExactly(row("a", 9000L, 14000L, 1L, 4L));
    assertThat(harness.stateRows()).isZero();
    assertThat(harness.lateRows()).isZero();
  }

  @Test
  void anOutOfOrderRowBetweenTwoOpenSessionsMergesThem() {
    assertThat(harness.batch(input(r("a", 1, 10_000L), r("a", 2, 18_000L)), 9000)).isEmpty();
    assertThat(harness.stateRows()).isEqualTo(2);
    // [14000, 19000) overlaps [10000, 15000) and [18000, 23000).
    assertThat(harness.batch(input(r("a", 4, 14_000L)), 9500)).isEmpty();
    assertThat(harness.stateRows()).isEqualTo(1);
    assertThat(harness.batch(input(r("a", 8, 12_000L)), 30_000)).containsExactly(
        row("a", 10_000L, 23_000L, 4L, 15L));
  }

  @Test
  void aRowThatWouldOpenAClosedSessionOrReachAnEmittedOneIsLate() {
    assertThat(harness.batch(input(r("a", 1, 10_000L), r("b", 1, 1000L)), 9000)).containsExactly(
        row("b", 1000L, 6000L, 1L, 1L));
    // The watermark was 9000. b at 4000 would extend b's emitted session [1000, 6000): late. c at
    // 3000 would open [3000, 8000), already closed: late. a at 8000 extends a's open session
    // backwards and c at 8999 opens [8999, 13999), still open: both kept, as in Flink.
    assertThat(harness.batch(input(r("b", 2, 4000L), r("a", 2, 8000L), r("a", 4, 10_500L), r("c", 1, 3000L),
        r("c", 5, 8999L)), 9500)).isEmpty();
    assertThat(harness.lateRows()).isEqualTo(2);
    assertThat(harness.batch(input(), Long.MAX_VALUE)).containsExactly(
        row("c", 8999L, 13_999L, 1L, 5L), row("a", 8000L, 15_500L, 3L, 7L));
  }

  @Test
  void anEmittedSessionIsRememberedUntilTheWatermarkPassesItsEndPlusTheGap() {
    assertThat(harness.batch(input(r("a", 1, 1000L)), 6000)).containsExactly(row("a", 1000L, 6000L, 1L, 1L));
    assertThat(harness.stateRows()).isEqualTo(1);
    // 5999 would reach the emitted session: late; 6000 starts a new one.
    assertThat(harness.batch(input(r("a", 2, 5999L), r("a", 3, 6000L)), 10_999)).isEmpty();
    assertThat(harness.lateRows()).isEqualTo(1);
    assertThat(harness.stateRows()).isEqualTo(2);
    assertThat(harness.batch(input(), 11_000)).containsExactly(row("a", 6000L, 11_000L, 1L, 3L));
    assertThat(harness.stateRows()).isEqualTo(1);
    assertThat(harness.batch(input(), 16_000)).isEmpty();
    assertThat(harness.stateRows()).isZero();
  }

  @Test
  void stateHoldsOnlyOpenSessionsOverManySessions() {
    int maxState = 0;
    for (int s = 0; s < 200; s++) {
      long base = s * 20_000L;
      List<Object[]> rows = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        rows.add(r("k" + k, k, base + k * 100));
        rows.add(r("k" + k, k, base + 3000 + k * 100));
      }
      List<List<Object>> out = harness.batch(input(rows.toArray(Object[][]::new)), base + 4000);
      maxState = Math.max(maxState, harness.stateRows());
      assertThat(out).hasSize(s == 0 ? 0 : 10);
    }
    // The ten open sessions; those emitted are forgotten at once, their end plus the gap being
    // behind the watermark that emits them.
    assertThat(maxState).isEqualTo(10);
    assertThat(harness.lateRows()).isZero();
  }
}
