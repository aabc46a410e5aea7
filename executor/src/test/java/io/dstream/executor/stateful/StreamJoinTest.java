package io.dstream.executor.stateful;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.TestBatches;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The join of two streams, batch by batch through its map side (partition) and reduce side,
 * with the state carried between batches as the driver does.
 */
class StreamJoinTest {
  private static final RowType SIDE = rowType("k", BIGINT, "v", BIGINT, "t", TIMESTAMP);
  private static final RowType OUT = SIDE.append(SIDE);
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private static PlanNode.Join join(PlanNode.Join.Kind kind, boolean leftOuter, long lower, long upper) {
    PlanNode.Scan a = new PlanNode.Scan("a", SIDE, 2, 0);
    PlanNode.Scan b = new PlanNode.Scan("b", SIDE, 2, 0);
    return new PlanNode.Join(a, b, kind, leftOuter, List.of(0), List.of(0), 2, 2, lower, upper, OUT);
  }

  /** Drives one reduce partition (of {@code partitions}) over batches, keeping its state. */
  private final class Harness implements AutoCloseable {
    final StreamJoin join;
    final int partitions;
    ColumnBatch state;
    long watermark = Long.MIN_VALUE;
    long late;

    Harness(PlanNode.Join node, int partitions) {
      this.join = new StreamJoin(node);
      this.partitions = partitions;
    }

    /** One batch: rows {k, v, t} of each side; returns the emitted rows of every partition. */
    List<List<Object>> batch(long newWatermark, Object[][] left, Object[][] right) {
      List<ColumnBatch> inputs = new ArrayList<>();
      for (int side = 0; side < 2; side++) {
        try (ColumnBatch in = TestBatches.batch(allocator, SIDE, side == 0 ? left : right)) {
          ColumnBatch[] parts = join.partition(side, in, partitions, allocator);
          // one reduce partition holds everything: concatenate the parts in partition order
          inputs.addAll(Arrays.asList(parts));
        }
      }
      StatefulOperator.Reduction r;
      try {
        r = join.reduce(state, inputs, new StatefulOperator.ReduceContext(newWatermark, watermark, allocator));
      } finally {
        inputs.forEach(ColumnBatch::close);
        if (state != null) {
          state.close();
        }
      }
      state = r.state();
      watermark = newWatermark;
      late += r.lateRows();
      List<List<Object>> out = new ArrayList<>();
      for (ColumnBatch b : r.outputs()) {
        try (b) {
          out.addAll(rows(b));
        }
      }
      return out;
    }

    @Override
    public void close() {
      if (state != null) {
        state.close();
      }
    }
  }

  private static Object[] r(long k, long v, long t) {
    return new Object[] {k, v, t};
  }

  private static List<Object> joined(Object[] left, Object[] right) {
    List<Object> row = new ArrayList<>(Arrays.asList(left));
    row.addAll(right == null ? Arrays.asList(null, null, null) : Arrays.asList(right));
    return row;
  }

  @Test
  void eachMatchIsEmittedOnceAcrossBatchesAndLateRowsAreDropped() {
    try (Harness h = new Harness(join(PlanNode.Join.Kind.INTERVAL, false, -5_000, 5_000), 1)) {
      Object[] a1 = r(1, 1, 10_000);
      Object[] b1 = r(1, 2, 14_000);
      Object[] b2 = r(1, 3, 16_000);
      Object[] b3 = r(2, 4, 10_000);
      assertThat(h.batch(8_000, new Object[][] {a1}, new Object[][] {b1, b3})).containsExactly(joined(a1, b1));
      Object[] a2 = r(1, 5, 12_000);
      // a1 and b2 are 6 s apart: no match
      assertThat(h.batch(9_000, new Object[][] {a2}, new Object[][] {b2}))
          .containsExactlyInAnyOrder(joined(a2, b1), joined(a2, b2));
      // older than the watermark (9 s) before this batch: late, although b1 would match
      assertThat(h.batch(9_500, new Object[][] {r(1, 6, 8_999)}, new Object[][] {})).isEmpty();
      assertThat(h.late).isEqualTo(1);
    }
  }

  @Test
  void stateKeepsOnlyRowsThatCanStillMatch() {
    // left.t - right.t in [0, 3 s]: a left row can match right rows up to 3 s older, a right
    // row left rows up to 3 s newer
    try (Harness h = new Harness(join(PlanNode.Join.Kind.INTERVAL, false, 0, 3_000), 1)) {
      h.batch(10_000, new Object[][] {r(1, 1, 10_000), r(1, 2, 9_999)},
          new Object[][] {r(1, 3, 7_000), r(1, 4, 6_999)});
      // left 10 s stays (a right row at 10 s may come), left 9.999 s goes; right 7 s stays (a
      // left row at 10 s may come), right 6.999 s goes
      // the state layout: $side, $matched, the left columns (k, v, t), the right ones
      List<Object> kept = new ArrayList<>(TestBatches.values(h.state, 3));
      kept.addAll(TestBatches.values(h.state, 6));
      assertThat(kept).filteredOn(v -> v != null).containsExactlyInAnyOrder(1L, 3L);
    }
  }

  @Test
  void intervalJoinStateStaysBoundedOverManyBatches() {
    try (Harness h = new Harness(join(PlanNode.Join.Kind.INTERVAL, false, -2_000, 2_000), 4)) {
      long matches = 0;
      int maxState = 0;
      for (int b = 0; b < 300; b++) {
        // 40 rows per side per batch, 1 s of event time per batch, 5 keys, out of order by up
        // to 500 ms; the watermark trails the newest time by 1 s
        Object[][] left = new Object[40][];
        Object[][] right = new Object[40][];
        for (int i = 0; i < 40; i++) {
          long t = b * 1_000L + i * 25 - (i % 3 == 0 ? 500 : 0);
          left[i] = r(i % 5, i, t);
          right[i] = r((i + 2) % 5, -i, t + 300);
        }
        matches += h.batch(b * 1_000L + 975 - 1_000, left, right).size();
        maxState = Math.max(maxState, h.state.rowCount());
      }
      // Rows live about delay + bound = 3 s: a few batches' worth, whatever the run's length.
      assertThat(maxState).isLessThan(8 * 80);
      assertThat(h.state.rowCount()).isLessThan(8 * 80);
      assertThat(matches).isGreaterThan(300 * 40L);
      assertThat(h.late).isZero();
    }
  }

  @Test
  void leftOuterIntervalJoinEmitsUnmatchedLeftRowsOnceTheyExpire() {
    try (Harness h = new Harness(join(PlanNode.Join.Kind.INTERVAL, true, -1_000, 1_000), 2)) {
      Object[] a1 = r(1, 1, 10_000);
      Object[] a2 = r(2, 2, 10_000);
      Object[] b1 = r(1, 3, 10_500);
      assertThat(h.batch(5_000, new Object[][] {a1, a2}, new Object[][] {b1})).containsExactly(joined(a1, b1));
      // a2 can match right rows up to 11 s until the watermark passes 11 s
      assertThat(h.batch(10_999, new Object[][] {}, new Object[][] {})).isEmpty();
      assertThat(h.batch(11_001, new Object[][] {}, new Object[][] {})).containsExactly(joined(a2, null));
      assertThat(h.batch(20_000, new Object[][] {}, new Object[][] {})).isEmpty();
    }
  }

  @Test
  void windowJoinEmitsClosedWindowsInOrderAndDropsThem() {
    // t plays window_end here: rows join when their window ends are equal
    try (Harness h = new Harness(join(PlanNode.Join.Kind.WINDOW, true, 0, 0), 3)) {
      Object[] a1 = r(1, 1, 10_000);
      Object[] a2 = r(1, 2, 20_000);
      Object[] a3 = r(3, 3, 10_000);
      Object[] b1 = r(1, 4, 10_000);
      Object[] b2 = r(1, 5, 20_000);
      assertThat(h.batch(9_999, new Object[][] {a1, a2, a3}, new Object[][] {b1})).isEmpty();
      assertThat(h.batch(25_000, new Object[][] {}, new Object[][] {b2}))
          .containsExactly(joined(a1, b1), joined(a3, null), joined(a2, b2));
      assertThat(h.state.rowCount()).isZero();
    }
  }
}
