package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.DOUBLE;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.dec;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatherTest {
  private static final RowType TYPE = rowType("id", BIGINT, "name", VARCHAR, "score", DOUBLE, "ok", BOOLEAN,
      "price", DataType.decimal(10, 2));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private ColumnBatch sample() {
    return batch(allocator, TYPE,
        new Object[] {1L, "one", 1.0, true, dec("1.10")},
        new Object[] {null, null, null, null, null},
        new Object[] {3L, "", -3.5, false, dec("-3.30")},
        new Object[] {4L, "fünf", 4.0, true, dec("4.00")});
  }

  @Test
  void takeCopiesSelectedRowsInSelectionOrderWithRepeatsAndNulls() {
    try (ColumnBatch in = sample();
        ColumnBatch out = Gather.take(in, new int[] {3, 1, 0, 3, 2, 99}, 5, allocator)) {
      assertThat(out.rowType()).isEqualTo(TYPE);
      assertThat(rows(out)).containsExactly(
          row(4L, "fünf", 4.0, true, dec("4.00")),
          row(null, null, null, null, null),
          row(1L, "one", 1.0, true, dec("1.10")),
          row(4L, "fünf", 4.0, true, dec("4.00")),
          row(3L, "", -3.5, false, dec("-3.30")));
    }
  }

  @Test
  void takeOfNoRowsIsEmptyAndTheCopyOutlivesItsSource() {
    ColumnBatch in = sample();
    try (ColumnBatch none = Gather.take(in, new int[0], 0, allocator);
        ColumnBatch copy = Gather.take(in, new int[] {0}, 1, allocator)) {
      in.close();
      assertThat(none.rowCount()).isZero();
      assertThat(rows(copy)).containsExactly(row(1L, "one", 1.0, true, dec("1.10")));
    }
  }

  @Test
  void sharedBatchOutlivesTheOriginal() {
    ColumnBatch in = sample();
    List<List<Object>> expected = rows(in);
    try (ColumnBatch shared = Gather.share(in, allocator)) {
      assertThat(shared.vector(0).getDataBuffer().memoryAddress())
          .isEqualTo(in.vector(0).getDataBuffer().memoryAddress());
      in.close();
      assertThat(rows(shared)).isEqualTo(expected);
    }
  }

  @Test
  void shareMovesBuffersToAnotherAllocator() {
    try (BufferAllocator other = allocator.newChildAllocator("other", 0, Long.MAX_VALUE)) {
      ColumnBatch in = sample();
      List<List<Object>> expected = rows(in);
      try (ColumnBatch shared = Gather.share(in, other)) {
        in.close();
        assertThat(rows(shared)).isEqualTo(expected);
        assertThat(other.getAllocatedMemory()).isPositive();
      }
      assertThat(other.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void concatAppendsPartsInOrderSkippingEmptyOnes() {
    try (ColumnBatch a = sample();
        ColumnBatch empty = ColumnBatch.empty(TYPE, allocator);
        ColumnBatch b = batch(allocator, TYPE, new Object[] {5L, "five", null, true, dec("5.00")});
        ColumnBatch all = Gather.concat(TYPE, List.of(a, empty, b, a), allocator)) {
      List<List<Object>> expected = new ArrayList<>(rows(a));
      expected.addAll(rows(b));
      expected.addAll(rows(a));
      assertThat(all.rowCount()).isEqualTo(9);
      assertThat(rows(all)).isEqualTo(expected);
    }
  }

  @Test
  void concatOfManyLongStringsGrowsBuffers() {
    RowType type = rowType("s", VARCHAR);
    List<ColumnBatch> parts = new ArrayList<>();
    List<Object> expected = new ArrayList<>();
    for (int p = 0; p < 10; p++) {
      List<List<Object>> rows = new ArrayList<>();
      for (int r = 0; r < 50; r++) {
        String s = r % 7 == 0 ? null : ("p" + p + "r" + r + "-").repeat(20);
        rows.add(row(s));
        expected.add(s);
      }
      parts.add(batch(allocator, type, rows));
    }
    try (ColumnBatch all = Gather.concat(type, parts, allocator)) {
      assertThat(TestBatches.values(all, 0)).isEqualTo(expected);
    } finally {
      parts.forEach(ColumnBatch::close);
    }
  }

  @Test
  void concatOfNothingIsEmpty() {
    try (ColumnBatch all = Gather.concat(TYPE, List.of(), allocator)) {
      assertThat(all.rowCount()).isZero();
      assertThat(all.columnCount()).isEqualTo(TYPE.size());
    }
  }
}
