package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.Gather;
import io.dstream.executor.kernel.HashAggregator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;

/** Helpers of operators that shuffle whole rows, hash-partitioned on key columns. */
final class KeyShuffle {
  private KeyShuffle() {}

  /**
   * Splits rows {@code rows[0..count)} of {@code input} into one batch per partition by the hash
   * of {@code keys}, keeping their relative order; the caller owns the batches.
   */
  static ColumnBatch[] split(ColumnBatch input, List<Integer> keys, int[] rows, int count, int partitions,
      BufferAllocator allocator) {
    List<DataType> keyTypes = new ArrayList<>(keys.size());
    for (int k : keys) {
      keyTypes.add(input.rowType().type(k));
    }
    HashAggregator interned = new HashAggregator(keyTypes, List.of());
    int[] ids = interned.addKeys(input, keys);
    int[][] byPartition = new int[partitions][count];
    int[] counts = new int[partitions];
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      int p = interned.partitionOf(ids[row], partitions);
      byPartition[p][counts[p]++] = row;
    }
    return take(input, byPartition, counts, allocator);
  }

  /**
   * One batch per partition {@code p} of rows {@code byPartition[p][0..counts[p])} of
   * {@code input}; the caller owns the batches (none is left open if one fails).
   */
  static ColumnBatch[] take(ColumnBatch input, int[][] byPartition, int[] counts, BufferAllocator allocator) {
    ColumnBatch[] out = new ColumnBatch[byPartition.length];
    try {
      for (int p = 0; p < out.length; p++) {
        out[p] = Gather.take(input, byPartition[p], counts[p], allocator);
      }
    } catch (RuntimeException e) {
      for (ColumnBatch b : out) {
        if (b != null) {
          b.close();
        }
      }
      throw e;
    }
    return out;
  }

  /** 0, 1, ..., n - 1. */
  static int[] identity(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }

  /**
   * The batch's vectors (moved, the batch must not be closed after) with a trailing BIGINT
   * column {@code values}, as {@code type}.
   */
  static ColumnBatch withLongColumn(ColumnBatch batch, long[] values, RowType type,
      BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(batch.columnCount() + 1);
    for (int c = 0; c < batch.columnCount(); c++) {
      vectors.add(batch.vector(c));
    }
    int n = batch.rowCount();
    BigIntVector column = new BigIntVector(type.column(type.size() - 1).name(), allocator);
    try {
      column.allocateNew(Math.max(1, n));
      for (int i = 0; i < n; i++) {
        column.set(i, values[i]);
      }
      column.setValueCount(n);
    } catch (RuntimeException e) {
      column.close();
      batch.close();
      throw e;
    }
    vectors.add(column);
    return new ColumnBatch(type, vectors, n);
  }
}
