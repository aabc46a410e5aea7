package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.TIMESTAMP;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WindowAssignKernelTest {
  private static final RowType INPUT = rowType("ts", TIMESTAMP, "item", VARCHAR);
  private static final RowType OUTPUT = INPUT.append(rowType("window_start", TIMESTAMP, "window_end", TIMESTAMP));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private ColumnBatch times(Long... times) {
    List<List<Object>> rows = new ArrayList<>();
    for (Long t : times) {
      rows.add(row(t, t == null ? "null" : "at" + t));
    }
    return batch(allocator, INPUT, rows);
  }

  private List<List<Object>> assign(long size, long slide, long offset, boolean dropLate, KernelContext context,
      ColumnBatch input) {
    try (ColumnBatch out = new WindowAssignKernel(0, size, slide, offset, dropLate, OUTPUT).apply(input, context)) {
      assertThat(out.rowType()).isEqualTo(OUTPUT);
      return rows(out);
    }
  }

  private List<List<Object>> assign(long size, long slide, long offset, ColumnBatch input) {
    return assign(size, slide, offset, false, new KernelContext(allocator, Long.MIN_VALUE), input);
  }

  private List<List<Object>> cumulate(long size, long step, long offset, long watermark, ColumnBatch input) {
    KernelContext context = new KernelContext(allocator, watermark);
    try (ColumnBatch out = new WindowAssignKernel(0, size, step, offset, true, true, OUTPUT).apply(input, context)) {
      List<List<Object>> rows = rows(out);
      rows.add(row(context.lateRows(), "late", null, null));
      long handedOver = 0;
      for (ColumnBatch late : context.takeLateBatches()) {
        handedOver += late.rowCount();
        late.close();
      }
      assertThat(handedOver).as("late rows handed over").isEqualTo(context.lateRows());
      return rows;
    }
  }

  @Test
  void cumulativeWindowGivesTheWindowsOfItsPeriodEndingAfterTheRow() {
    // size 6, step 2: periods [0, 6), [6, 12); windows [p, p + 2), [p, p + 4), [p, p + 6)
    assertThat(cumulate(6, 2, 0, Long.MIN_VALUE, times(0L, 3L, 5L, 6L, -1L))).containsExactly(
        row(0L, "at0", 0L, 2L), row(0L, "at0", 0L, 4L), row(0L, "at0", 0L, 6L),
        row(3L, "at3", 0L, 4L), row(3L, "at3", 0L, 6L),
        row(5L, "at5", 0L, 6L),
        row(6L, "at6", 6L, 8L), row(6L, "at6", 6L, 10L), row(6L, "at6", 6L, 12L),
        row(-1L, "at-1", -6L, 0L),
        row(0L, "late", null, null));
  }

  @Test
  void cumulativeWindowDropsARowOnlyFromClosedWindowsAndCountsItLateWhenAllAreClosed() {
    // watermark 4: [0, 2) and [0, 4) are closed; offset 0
    assertThat(cumulate(6, 2, 0, 4, times(1L, 5L, 3L))).containsExactly(
        row(1L, "at1", 0L, 6L),
        row(5L, "at5", 0L, 6L),
        row(3L, "at3", 0L, 6L),
        row(0L, "late", null, null));
    // watermark 6: the whole period [0, 6) is closed; with offset 1 the periods are [1, 7), ...
    assertThat(cumulate(6, 2, 0, 6, times(5L, 7L))).containsExactly(
        row(7L, "at7", 6L, 8L), row(7L, "at7", 6L, 10L), row(7L, "at7", 6L, 12L),
        row(1L, "late", null, null));
    assertThat(cumulate(6, 3, 1, 6, times(5L, 0L))).containsExactly(
        row(5L, "at5", 1L, 7L),
        row(1L, "late", null, null));
  }

  @Test
  void tumblingWindowGivesEachRowOneWindow() {
    assertThat(assign(10, 10, 0, times(0L, 9L, 10L, -1L, -10L))).containsExactly(
        row(0L, "at0", 0L, 10L),
        row(9L, "at9", 0L, 10L),
        row(10L, "at10", 10L, 20L),
        row(-1L, "at-1", -10L, 0L),
        row(-10L, "at-10", -10L, 0L));
  }

  @Test
  void hoppingWindowGivesSizeOverSlideWindowsInAscendingStartOrder() {
    assertThat(assign(10, 5, 0, times(12L, -3L, 10L))).containsExactly(
        row(12L, "at12", 5L, 15L), row(12L, "at12", 10L, 20L),
        row(-3L, "at-3", -10L, 0L), row(-3L, "at-3", -5L, 5L),
        row(10L, "at10", 5L, 15L), row(10L, "at10", 10L, 20L));
  }

  @Test
  void hoppingWindowWhoseSizeIsNotAMultipleOfTheSlide() {
    // size 10, slide 4: windows start at multiples of 4 and contain t when start <= t < start + 10
    assertThat(assign(10, 4, 0, times(9L, 11L, -1L))).containsExactly(
        row(9L, "at9", 0L, 10L), row(9L, "at9", 4L, 14L), row(9L, "at9", 8L, 18L),
        row(11L, "at11", 4L, 14L), row(11L, "at11", 8L, 18L),
        row(-1L, "at-1", -8L, 2L), row(-1L, "at-1", -4L, 6L));
  }

  @Test
  void offsetShiftsWindowBoundaries() {
    assertThat(assign(10, 10, 3, times(2L, 3L, 12L, 13L, -8L))).containsExactly(
        row(2L, "at2", -7L, 3L),
        row(3L, "at3", 3L, 13L),
        row(12L, "at12", 3L, 13L),
        row(13L, "at13", 13L, 23L),
        row(-8L, "at-8", -17L, -7L));
    assertThat(assign(10, 5, 2, times(8L))).containsExactly(row(8L, "at8", 2L, 12L), row(8L, "at8", 7L, 17L));
  }

  @Test
  void rowsOlderThanThePreviousWatermarkAreDroppedAndCounted() {
    KernelContext context = new KernelContext(allocator, 100);
    assertThat(assign(10, 10, 0, true, context, times(99L, 100L, 150L, 5L, null)))
        .containsExactly(row(100L, "at100", 100L, 110L), row(150L, "at150", 150L, 160L));
    assertThat(context.lateRows()).isEqualTo(2);
    // The late rows themselves are handed over (for a late-data stream), in input order.
    List<ColumnBatch> late = context.takeLateBatches();
    assertThat(late).hasSize(1);
    try (ColumnBatch rows = late.get(0)) {
      assertThat(rows.rowCount()).isEqualTo(2);
      assertThat(rows.longs(0).get(0)).isEqualTo(99L);
      assertThat(rows.longs(0).get(1)).isEqualTo(5L);
    }
    assertThat(context.takeLateBatches()).isEmpty();
  }

  @Test
  void lateRowsAreKeptWhenNotDropping() {
    KernelContext context = new KernelContext(allocator, 100);
    assertThat(assign(10, 10, 0, false, context, times(99L))).containsExactly(row(99L, "at99", 90L, 100L));
    assertThat(context.lateRows()).isZero();
  }

  @Test
  void rowsWithANullTimeBelongToNoWindowAndAreNotLate() {
    KernelContext context = new KernelContext(allocator, 100);
    assertThat(assign(10, 5, 0, true, context, times(null, 120L, null))).containsExactly(
        row(120L, "at120", 115L, 125L), row(120L, "at120", 120L, 130L));
    assertThat(context.lateRows()).isZero();
  }

  @Test
  void emptyInputGivesAnEmptyBatch() {
    assertThat(assign(10, 5, 0, times())).isEmpty();
    assertThat(assign(10, 5, 0, times((Long) null))).isEmpty();
  }

  @Test
  void otherColumnsAreCarriedForEveryWindow() {
    RowType input = rowType("id", BIGINT, "ts", TIMESTAMP);
    RowType output = input.append(rowType("window_start", TIMESTAMP, "window_end", TIMESTAMP));
    ColumnBatch in = batch(allocator, input, new Object[] {null, 7L}, new Object[] {2L, 3L});
    try (ColumnBatch out = new WindowAssignKernel(1, 6, 3, 0, false, output)
        .apply(in, new KernelContext(allocator, Long.MIN_VALUE))) {
      assertThat(rows(out)).containsExactly(
          row(null, 7L, 3L, 9L), row(null, 7L, 6L, 12L),
          row(2L, 3L, 0L, 6L), row(2L, 3L, 3L, 9L));
    }
  }
}
