package io.dstream.executor.stateful;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.TestBatches;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The top-N per window and deduplication operators, batch by batch, with leak checks. */
class RowNumberOperatorsTest {
  /** Rows already assigned to a tumbling window of 10 s: k, price, t, window_end. */
  private static final RowType INPUT = rowType("k", VARCHAR, "price", BIGINT, "t", TIMESTAMP, "window_end", TIMESTAMP);
  private static final RowType RANKED = INPUT.append(rowType("rn", BIGINT));
  private static final long WINDOW = 10_000;

  private final BufferAllocator allocator = new RootAllocator();
  private final List<OperatorHarness> harnesses = new ArrayList<>();

  @AfterEach
  void close() {
    harnesses.forEach(OperatorHarness::close);
    allocator.close(); // fails on a leak
  }

  private OperatorHarness harness(PlanNode.Stateful node) {
    return harness(node, 3);
  }

  private OperatorHarness harness(PlanNode.Stateful node, int partitions) {
    OperatorHarness h = new OperatorHarness(StatefulOperators.of(node), partitions, allocator);
    harnesses.add(h);
    return h;
  }

  /** Top {@code n} by price DESC per window end and key. */
  private static PlanNode.TopN topN(long n) {
    PlanNode.Scan scan = new PlanNode.Scan("s", INPUT, 2, 0);
    return new PlanNode.TopN(scan, List.of(3, 0), List.of(new PlanNode.SortKey(1, true, true)), n, 3, 0, RANKED);
  }

  private static PlanNode.Deduplicate dedup(boolean windowed) {
    PlanNode.Scan scan = new PlanNode.Scan("s", INPUT, 2, 0);
    return new PlanNode.Deduplicate(scan, windowed ? List.of(0, 3) : List.of(0), 2, windowed ? 3 : -1, 0, RANKED);
  }

  private ColumnBatch input(Object[]... rows) {
    return TestBatches.batch(allocator, INPUT, rows);
  }

  private static Object[] r(String k, Long price, long t) {
    return new Object[] {k, price, t, Math.floorDiv(t, WINDOW) * WINDOW + WINDOW};
  }

  @Test
  void topNEmitsEachKeysFirstRowsInRankOrderWhenItsWindowCloses() {
    // One partition: the order of keys within a window is the partition's (keys ascending).
    OperatorHarness h = harness(topN(2), 1);
    assertThat(h.batch(input(r("a", 5L, 1000), r("a", 9L, 2000), r("b", null, 3000), r("a", 7L, 12_000)), 5000))
        .isEmpty();
    // Ties at 9: broken by the columns in order (t 2000 before 4000); NULL first descending.
    assertThat(h.batch(input(r("a", 9L, 4000), r("b", 1L, 9000), r("a", 1L, 8000)), 10_000)).containsExactly(
        row("a", 9L, 2000L, 10_000L, 1L), row("a", 9L, 4000L, 10_000L, 2L),
        row("b", null, 3000L, 10_000L, 1L), row("b", 1L, 9000L, 10_000L, 2L));
    assertThat(h.stateRows()).isEqualTo(1);
    assertThat(h.batch(input(r("a", 3L, 1000)), Long.MAX_VALUE)).containsExactly(row("a", 7L, 12_000L, 20_000L, 1L));
    assertThat(h.lateRows()).isEqualTo(1);
    assertThat(h.stateRows()).isZero();
  }

  @Test
  void topNStateStaysBoundedOverManyWindows() {
    OperatorHarness h = harness(topN(3));
    int emitted = 0;
    int maxState = 0;
    for (int b = 0; b < 200; b++) {
      // Each batch: 50 rows over 5 keys, times within the 2 s of this batch; windows of 10 s.
      Object[][] rows = new Object[50][];
      for (int i = 0; i < rows.length; i++) {
        long t = b * 2000L + i * 40L;
        rows[i] = r("k" + (i % 5), (long) ((i * 7919 + b * 31) % 1000), t);
      }
      emitted += h.batch(input(rows), b * 2000L + 1000).size();
      maxState = Math.max(maxState, h.stateRows());
    }
    emitted += h.batch(input(), Long.MAX_VALUE).size();
    // 40 windows of 10 s, 5 keys each, 3 rows per key.
    assertThat(emitted).isEqualTo(40 * 5 * 3);
    // At most two windows open at once (the current and the one the watermark has not closed), 3 rows per key.
    assertThat(maxState).isLessThanOrEqualTo(2 * 5 * 3);
    assertThat(h.stateRows()).isZero();
    assertThat(h.lateRows()).isZero();
  }

  @Test
  void dedupEmitsAKeysFirstRowOnceTheWatermarkPassesItAndDropsLaterOnes() {
    OperatorHarness h = harness(dedup(false));
    assertThat(h.batch(input(r("a", 1L, 5000), r("a", 2L, 3000), r("b", 3L, 7000)), 4000)).containsExactly(
        row("a", 2L, 3000L, 10_000L, 1L));
    assertThat(h.batch(input(r("b", 4L, 6000), r("a", 5L, 3500), r("a", 0L, 4500)), 6500)).containsExactly(
        row("b", 4L, 6000L, 10_000L, 1L));
    // a at 3500 was late (the watermark was 4000 when its batch started); a at 4500 a duplicate.
    assertThat(h.lateRows()).isEqualTo(1);
    assertThat(h.batch(input(r("a", 6L, 30_000), r("b", 7L, 31_000)), Long.MAX_VALUE)).isEmpty();
    // Without a window, the keys stay: the state grows with the number of distinct keys.
    assertThat(h.stateRows()).isEqualTo(2);
  }

  @Test
  void windowedDedupDropsAKeyWhenItsWindowCloses() {
    OperatorHarness h = harness(dedup(true));
    int maxState = 0;
    int emitted = 0;
    for (int b = 0; b < 100; b++) {
      Object[][] rows = new Object[20][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = r("k" + (i % 4), (long) i, b * 1000L + i * 50L);
      }
      emitted += h.batch(input(rows), b * 1000L).size();
      maxState = Math.max(maxState, h.stateRows());
    }
    emitted += h.batch(input(), Long.MAX_VALUE).size();
    assertThat(emitted).isEqualTo(10 * 4);
    assertThat(maxState).isLessThanOrEqualTo(2 * 4);
    assertThat(h.stateRows()).isZero();
  }
}
