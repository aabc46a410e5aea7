package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.Gather;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Deduplication, keep first: ROW_NUMBER() OVER (PARTITION BY keys ORDER BY event time ASC) = 1.
 * Map tasks shuffle rows by key. A reduce partition's state holds one row per key, its first by
 * event time so far (ties broken by all columns in order, ascending, NULLs last). Since a row at
 * or before the watermark at the start of its batch is late (dropped and counted), a key's first
 * row is final once the watermark reaches its time: it is emitted then, in one block per batch,
 * rows in event-time order (then by key). The emitted row stays in state, so that the key's later
 * rows are recognized as duplicates and dropped: without a window, state grows with the number of
 * distinct keys (as in Flink without a state TTL); with a window bound among the keys, a key
 * leaves the state once the watermark reaches its window's end.
 *
 * <p>The map side does not pre-deduplicate: a late row could hide a later row of its key there.
 */
final class Deduplication implements StatefulOperator {
  private final PlanNode.Deduplicate node;
  private final int[] keys;

  Deduplication(PlanNode.Deduplicate node) {
    this.node = node;
    this.keys = node.keys().stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public RowType shuffleType() {
    return node.input().rowType();
  }

  @Override
  public RowType stateType() {
    return node.input().rowType();
  }

  @Override
  public ColumnBatch[] partition(ColumnBatch input, int partitions, BufferAllocator allocator) {
    int n = input.rowCount();
    return KeyShuffle.split(input, node.keys(), KeyShuffle.identity(n), n, partitions, allocator);
  }

  @Override
  public Reduction reduce(ColumnBatch previousState, List<ColumnBatch> inputs, ReduceContext context) {
    BufferAllocator allocator = context.allocator();
    RowType type = stateType();
    List<ColumnBatch> parts = new ArrayList<>();
    if (previousState != null) {
      parts.add(previousState);
    }
    parts.addAll(inputs);
    int stateRows = previousState == null ? 0 : previousState.rowCount();
    long watermark = context.watermark();
    long previousWatermark = context.previousWatermark();
    int time = node.timeColumn();
    List<ColumnBatch> outputs = new ArrayList<>();
    try (ColumnBatch all = Gather.concat(type, parts, allocator)) {
      RowOrder values = new RowOrder(all);
      int n = all.rowCount();
      int[] candidates = new int[n];
      int count = 0;
      long late = 0;
      for (int i = 0; i < n; i++) {
        if (i >= stateRows && (values.isNull(time, i) || values.longValue(time, i) <= previousWatermark)) {
          late++;
        } else {
          candidates[count++] = i;
        }
      }
      int[] sorted = Arrays.copyOf(candidates, count);
      IndexSort.sort(sorted, (a, b) -> {
        int c = values.compareKeys(keys, a, b);
        if (c != 0) {
          return c;
        }
        c = values.compare(time, a, b, false, false);
        return c != 0 ? c : values.compareAll(a, b);
      });
      int[] emit = new int[count];
      int emitted = 0;
      int[] kept = new int[count];
      int keptCount = 0;
      for (int s = 0; s < count; s++) {
        int row = sorted[s];
        if (s > 0 && values.compareKeys(keys, sorted[s - 1], row) == 0) {
          continue; // a later row of the key: a duplicate
        }
        long t = values.longValue(time, row);
        boolean wasEmitted = row < stateRows && t <= previousWatermark;
        if (!wasEmitted && t <= watermark) {
          emit[emitted++] = row;
        }
        if (!windowClosed(values, row, watermark)) {
          kept[keptCount++] = row;
        }
      }
      int[] out = Arrays.copyOf(emit, emitted);
      IndexSort.sort(out, (a, b) -> {
        int c = values.compare(time, a, b, false, false);
        if (c != 0) {
          return c;
        }
        c = values.compareKeys(keys, a, b);
        return c != 0 ? c : values.compareAll(a, b);
      });
      List<Long> order = new ArrayList<>();
      if (emitted > 0) {
        long[] ones = new long[emitted];
        Arrays.fill(ones, 1);
        outputs.add(KeyShuffle.withLongColumn(Gather.take(all, out, emitted, allocator), ones, node.rowType(),
            allocator));
        order.add(Long.MIN_VALUE);
      }
      ColumnBatch state = Gather.take(all, kept, keptCount, allocator);
      return new Reduction(outputs, order, state, late);
    } catch (RuntimeException e) {
      outputs.forEach(ColumnBatch::close);
      throw e;
    }
  }

  /** Whether the watermark has reached the end of row {@code row}'s window (never without one). */
  private boolean windowClosed(RowOrder values, int row, long watermark) {
    int column = node.windowColumn();
    if (column < 0 || values.isNull(column, row)) {
      return false;
    }
    return values.longValue(column, row) + node.windowEndOffsetMillis() <= watermark;
  }

  /** The reduce stage as EXPLAIN shows it. */
  static String describe(PlanNode.Deduplicate node) {
    RowType input = node.input().rowType();
    return "Deduplicate(keys=" + WindowTopN.names(input, node.keys()) + ", keep first by "
        + input.column(node.timeColumn()).name() + ", ties by all columns, emit when watermark >= "
        + input.column(node.timeColumn()).name() + ", state=one row per key"
        + (node.windowColumn() < 0 ? " (grows with distinct keys)"
            : ", dropped when watermark >= " + input.column(node.windowColumn()).name()
                + (node.windowEndOffsetMillis() == 0 ? "" : " + " + node.windowEndOffsetMillis() + "ms"))
        + ")";
  }
}
