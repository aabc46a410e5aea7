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
 * Top-N per window: ROW_NUMBER() OVER (PARTITION BY window bounds and keys ORDER BY ...) with
 * rn &lt;= N. Map tasks keep the first N rows of each partition key of their input (no other row
 * can make the top N) and shuffle them by the partition keys. A reduce partition keeps, per
 * partition key, only the current first N rows of its state and the new rows, and emits a key's
 * rows with their row numbers once the watermark reaches its window's end: one block per window
 * end, in end order, keys in ascending order within it, each key's rows in rank order. A window's
 * rows leave the state when emitted: state is at most N rows per key of the open windows.
 *
 * <p>Ties of the ORDER BY are broken by all input columns in order (ascending, NULLs last), so
 * the ranking, and thus the output, is deterministic; rows equal in every column are
 * interchangeable. An input row whose window the watermark at the start of the batch had already
 * closed is late (the map side's window assignment drops those first): dropped and counted.
 */
final class WindowTopN implements StatefulOperator {
  private final PlanNode.TopN node;
  private final int[] keys;
  private final int windowKeyPosition;

  WindowTopN(PlanNode.TopN node) {
    this.node = node;
    this.keys = node.partitionKeys().stream().mapToInt(Integer::intValue).toArray();
    this.windowKeyPosition = node.partitionKeys().indexOf(node.windowColumn());
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
    RowOrder values = new RowOrder(input);
    int[] sorted = KeyShuffle.identity(input.rowCount());
    IndexSort.sort(sorted, (a, b) -> compare(values, a, b));
    int[] kept = new int[sorted.length];
    int count = firstN(values, sorted, kept, null);
    return KeyShuffle.split(input, node.partitionKeys(), kept, count, partitions, allocator);
  }

  /** By partition key, then rank. */
  private int compare(RowOrder values, int a, int b) {
    int c = values.compareKeys(keys, a, b);
    if (c != 0) {
      return c;
    }
    c = values.compareOrder(node.order(), a, b);
    return c != 0 ? c : values.compareAll(a, b);
  }

  /**
   * Copies the first {@code limit} rows of each run of equal partition keys of {@code sorted}
   * into {@code kept}, their row numbers into {@code ranks} (when not null); returns the count.
   */
  private int firstN(RowOrder values, int[] sorted, int[] kept, long[] ranks) {
    int count = 0;
    long rank = 0;
    for (int s = 0; s < sorted.length; s++) {
      boolean newKey = s == 0 || values.compareKeys(keys, sorted[s - 1], sorted[s]) != 0;
      rank = newKey ? 1 : rank + 1;
      if (rank <= node.limit()) {
        if (ranks != null) {
          ranks[count] = rank;
        }
        kept[count++] = sorted[s];
      }
    }
    return count;
  }

  /** The end of the window of row {@code row}; Long.MAX_VALUE without a window bound. */
  private long windowEnd(RowOrder values, int row) {
    int column = node.windowColumn();
    return values.isNull(column, row) ? Long.MAX_VALUE
        : values.longValue(column, row) + node.windowEndOffsetMillis();
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
    List<ColumnBatch> outputs = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    try (ColumnBatch all = Gather.concat(type, parts, allocator)) {
      RowOrder values = new RowOrder(all);
      int n = all.rowCount();
      long[] ends = new long[n];
      int[] candidates = new int[n];
      int count = 0;
      long late = 0;
      for (int i = 0; i < n; i++) {
        ends[i] = windowEnd(values, i);
        if (i >= stateRows && ends[i] <= context.previousWatermark()) {
          late++;
        } else {
          candidates[count++] = i;
        }
      }
      int[] sorted = Arrays.copyOf(candidates, count);
      // Window end first: the output's blocks are per window end, in end order.
      IndexSort.sort(sorted, (a, b) -> ends[a] != ends[b] ? Long.compare(ends[a], ends[b]) : compare(values, a, b));
      int[] top = new int[count];
      long[] ranks = new long[count];
      int topCount = firstN(values, sorted, top, ranks);
      int[] kept = new int[topCount];
      int keptCount = 0;
      int from = 0;
      while (from < topCount) {
        long end = ends[top[from]];
        int to = from + 1;
        while (to < topCount && ends[top[to]] == end) {
          to++;
        }
        if (end <= context.watermark()) {
          int[] rows = Arrays.copyOfRange(top, from, to);
          ColumnBatch block = Gather.take(all, rows, rows.length, allocator);
          outputs.add(KeyShuffle.withLongColumn(block, Arrays.copyOfRange(ranks, from, to), node.rowType(),
              allocator));
          order.add(end);
        } else {
          System.arraycopy(top, from, kept, keptCount, to - from);
          keptCount += to - from;
        }
        from = to;
      }
      ColumnBatch state = Gather.take(all, kept, keptCount, allocator);
      return new Reduction(outputs, order, state, late);
    } catch (RuntimeException e) {
      outputs.forEach(ColumnBatch::close);
      throw e;
    }
  }

  /** The reduce stage as EXPLAIN shows it. */
  static String describe(PlanNode.TopN node) {
    RowType input = node.input().rowType();
    return "WindowTopN(partition=" + names(input, node.partitionKeys()) + ", order=" + order(input, node.order())
        + ", limit=" + node.limit() + ", ties by all columns, state=top " + node.limit()
        + " rows per key, emit when watermark >= " + input.column(node.windowColumn()).name()
        + (node.windowEndOffsetMillis() == 0 ? "" : " + " + node.windowEndOffsetMillis() + "ms") + ")";
  }

  static String names(RowType type, List<Integer> columns) {
    List<String> out = new ArrayList<>();
    for (int c : columns) {
      out.add(type.column(c).name());
    }
    return out.isEmpty() ? "()" : String.join(", ", out);
  }

  static String order(RowType type, List<PlanNode.SortKey> keys) {
    List<String> out = new ArrayList<>();
    for (PlanNode.SortKey k : keys) {
      out.add(type.column(k.column()).name() + (k.descending() ? " DESC" : " ASC")
          + (k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST"));
    }
    return String.join(", ", out);
  }
}
