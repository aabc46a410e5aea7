package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.Gather;
import io.dstream.executor.kernel.HashAggregator;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;

/**
 * A GROUP BY over HOP windows, maintained incrementally from panes (see
 * {@link PlanNode.SlidingAggregate}). Map tasks pre-aggregate per group and pane and shuffle by
 * the keys other than the window bounds, so all panes of a key meet in one reduce partition. A
 * reduce keeps one partial per group and pane until the last window containing the pane closes;
 * when windows close it walks each key's panes in time order with two pointers: an invertible
 * accumulator (COUNT, and SUM or AVG over integers and decimals) adds the panes entering the
 * window and subtracts those leaving it, the others (MIN, MAX, floating-point sums) merge the
 * window's panes.
 */
final class SlidingWindowAggregation implements StatefulOperator {
  private final PlanNode.SlidingAggregate node;
  private final List<DataType> keyTypes;
  private final RowType stateType;
  private final int[] otherKeys;
  private final List<DataType> otherKeyTypes;
  private final boolean[] isStartKey;
  private final boolean[] isEndKey;
  private final long size;
  private final long slide;

  SlidingWindowAggregation(PlanNode.SlidingAggregate node) {
    this.node = node;
    int k = node.groupKeys().size();
    List<Column> keys = new ArrayList<>(node.rowType().columns().subList(0, k));
    this.keyTypes = keys.stream().map(Column::type).toList();
    this.stateType = HashAggregator.stateType(new RowType(keys), node.aggregates());
    this.isStartKey = new boolean[k];
    this.isEndKey = new boolean[k];
    node.startKeys().forEach(i -> isStartKey[i] = true);
    node.endKeys().forEach(i -> isEndKey[i] = true);
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      if (!isStartKey[i] && !isEndKey[i]) {
        others.add(i);
      }
    }
    this.otherKeys = others.stream().mapToInt(Integer::intValue).toArray();
    this.otherKeyTypes = others.stream().map(keyTypes::get).toList();
    this.size = node.sizeMillis();
    this.slide = node.slideMillis();
  }

  @Override
  public RowType shuffleType() {
    return stateType;
  }

  @Override
  public RowType stateType() {
    return stateType;
  }

  @Override
  public ColumnBatch[] partition(ColumnBatch input, int partitions, BufferAllocator allocator) {
    HashAggregator partial = new HashAggregator(keyTypes, node.aggregates());
    partial.addRaw(input, node.groupKeys());
    try (ColumnBatch all = partial.stateBatch(stateType, partial.allGroups(), allocator)) {
      HashAggregator byKey = new HashAggregator(otherKeyTypes, List.of());
      int[] ids = byKey.addKeys(all, otherKeyList());
      int[][] rows = new int[partitions][all.rowCount()];
      int[] counts = new int[partitions];
      for (int g = 0; g < ids.length; g++) {
        int p = byKey.partitionOf(ids[g], partitions);
        rows[p][counts[p]++] = g;
      }
      ColumnBatch[] out = new ColumnBatch[partitions];
      try {
        for (int p = 0; p < partitions; p++) {
          out[p] = Gather.take(all, rows[p], counts[p], allocator);
        }
      } catch (RuntimeException e) {
        Arrays.stream(out).filter(b -> b != null).forEach(ColumnBatch::close);
        throw e;
      }
      return out;
    }
  }

  private List<Integer> otherKeyList() {
    return Arrays.stream(otherKeys).boxed().toList();
  }

  @Override
  public Reduction reduce(ColumnBatch previousState, List<ColumnBatch> inputs, ReduceContext context) {
    HashAggregator state = new HashAggregator(keyTypes, node.aggregates());
    if (previousState != null) {
      state.addPartial(previousState);
    }
    for (ColumnBatch partial : inputs) {
      state.addPartial(partial);
    }
    int groups = state.groupCount();
    long[] paneStart = new long[groups];
    int boundKey = node.startKeys().isEmpty() ? node.endKeys().get(0) : node.startKeys().get(0);
    long boundShift = node.startKeys().isEmpty() ? slide : 0;
    int[] keep = new int[groups];
    int kept = 0;
    for (int g = 0; g < groups; g++) {
      Long bound = state.longKey(boundKey, g);
      paneStart[g] = bound == null ? Long.MAX_VALUE : bound - boundShift;
      // A pane stays until the last window containing it (starting at the pane) closes.
      if (paneStart[g] == Long.MAX_VALUE || context.watermark() == Long.MIN_VALUE
          || context.watermark() != Long.MAX_VALUE && paneStart[g] + size > context.watermark()) {
        keep[kept++] = g;
      }
    }
    List<ColumnBatch> outputs = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    try (ColumnBatch all = state.stateBatch(stateType, state.allGroups(), context.allocator())) {
      emit(all, paneStart, context, outputs, order);
    } catch (RuntimeException e) {
      outputs.forEach(ColumnBatch::close);
      throw e;
    }
    return new Reduction(outputs, order, state.stateBatch(stateType, Arrays.copyOf(keep, kept), context.allocator()));
  }

  /** The windows that close in this batch, one block per window end, in window order. */
  private void emit(ColumnBatch all, long[] paneStart, ReduceContext context, List<ColumnBatch> outputs,
      List<Long> order) {
    int groups = all.rowCount();
    if (groups == 0) {
      return;
    }
    HashAggregator byKey = new HashAggregator(otherKeyTypes, List.of());
    int[] keyId = byKey.addKeys(all, otherKeyList());
    Integer[] sorted = new Integer[groups];
    for (int g = 0; g < groups; g++) {
      sorted[g] = g;
    }
    // Coordination-sized work: one entry per group and pane, not per row.
    Arrays.sort(sorted, (a, b) -> keyId[a] != keyId[b] ? Integer.compare(keyId[a], keyId[b])
        : Long.compare(paneStart[a], paneStart[b]));
    Windows windows = new Windows(all, node.aggregates().size(), stateType, keyTypes.size());
    int from = 0;
    while (from < groups) {
      int to = from + 1;
      while (to < groups && keyId[sorted[to]] == keyId[sorted[from]]) {
        to++;
      }
      slideOver(sorted, from, to, paneStart, context, windows);
      from = to;
    }
    if (windows.count == 0) {
      return;
    }
    try (ColumnBatch closed = windows.toStateBatch(context.allocator())) {
      HashAggregator out = new HashAggregator(keyTypes, node.aggregates());
      out.addPartial(closed);
      int[] ids = out.allGroups();
      long[] bounds = out.windowBounds(node.windowKey(), ids);
      int start = 0;
      while (start < ids.length) {
        int end = start + 1;
        while (end < ids.length && bounds[end] == bounds[start]) {
          end++;
        }
        outputs.add(out.finalBatch(node.rowType(), Arrays.copyOfRange(ids, start, end), context.allocator()));
        order.add(bounds[start]);
        start = end;
      }
    }
  }

  /**
   * The windows of one key (its panes are {@code sorted[from..to)}, in time order) that close in
   * this batch: ends in (previous watermark, watermark].
   */
  private void slideOver(Integer[] sorted, int from, int to, long[] paneStart, ReduceContext context,
      Windows windows) {
    long low = context.previousWatermark();
    long high = context.watermark();
    long[] ends = new long[(to - from) * (int) (size / slide)];
    int n = 0;
    for (int i = from; i < to; i++) {
      long ps = paneStart[sorted[i]];
      if (ps == Long.MAX_VALUE) {
        continue;
      }
      for (long e = ps + size; e > ps; e -= slide) {
        if (e > low && e <= high) {
          ends[n++] = e;
        }
      }
    }
    if (n == 0) {
      return;
    }
    Arrays.sort(ends, 0, n);
    windows.startKey();
    int lo = from;
    int hi = from;
    long previous = Long.MIN_VALUE;
    for (int w = 0; w < n; w++) {
      long e = ends[w];
      if (e == previous) {
        continue;
      }
      previous = e;
      long s = e - size;
      while (hi < to && paneStart[sorted[hi]] < e) {
        windows.enter(sorted[hi]);
        hi++;
      }
      while (lo < hi && paneStart[sorted[lo]] < s) {
        windows.leave(sorted[lo]);
        lo++;
      }
      if (lo < hi) {
        windows.emit(sorted, lo, hi, s, e);
      }
    }
  }

  /** Running window accumulators of one key at a time, and the windows emitted so far. */
  private final class Windows {
    private final ColumnBatch panes;
    private final int aggregates;
    private final int keyCount;
    private final BigIntVector[] longValue;
    private final Float8Vector[] doubleValue;
    private final BigIntVector[] paneCount;
    private final boolean[] invertible;
    private final long[] runLong;
    private final long[] runCount;
    private int count;
    private int[] rep = new int[16];
    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private long[][] outLong;
    private double[][] outDouble;
    private long[][] outCount;

    Windows(ColumnBatch panes, int aggregates, RowType stateType, int keyCount) {
      this.panes = panes;
      this.aggregates = aggregates;
      this.keyCount = keyCount;
      longValue = new BigIntVector[aggregates];
      doubleValue = new Float8Vector[aggregates];
      paneCount = new BigIntVector[aggregates];
      invertible = new boolean[aggregates];
      runLong = new long[aggregates];
      runCount = new long[aggregates];
      outLong = new long[aggregates][16];
      outDouble = new double[aggregates][16];
      outCount = new long[aggregates][16];
      for (int a = 0; a < aggregates; a++) {
        int column = keyCount + 2 * a;
        if (panes.vector(column) instanceof Float8Vector d) {
          doubleValue[a] = d;
        } else {
          longValue[a] = panes.longs(column);
          AggregateCall.Kind kind = node.aggregates().get(a).kind();
          invertible[a] = kind == AggregateCall.Kind.COUNT || kind == AggregateCall.Kind.SUM
              || kind == AggregateCall.Kind.AVG;
        }
        paneCount[a] = panes.longs(column + 1);
      }
    }

    void startKey() {
      Arrays.fill(runLong, 0);
      Arrays.fill(runCount, 0);
    }

    void enter(int pane) {
      for (int a = 0; a < aggregates; a++) {
        if (invertible[a]) {
          runLong[a] += longValue[a].get(pane);
          runCount[a] += paneCount[a].get(pane);
        }
      }
    }

    void leave(int pane) {
      for (int a = 0; a < aggregates; a++) {
        if (invertible[a]) {
          runLong[a] -= longValue[a].get(pane);
          runCount[a] -= paneCount[a].get(pane);
        }
      }
    }

    /** Records window [s, e) of the key whose panes in it are {@code sorted[lo..hi)}. */
    void emit(Integer[] sorted, int lo, int hi, long s, long e) {
      grow();
      rep[count] = sorted[lo];
      starts[count] = s;
      ends[count] = e;
      for (int a = 0; a < aggregates; a++) {
        if (invertible[a]) {
          outLong[a][count] = runLong[a];
          outCount[a][count] = runCount[a];
          continue;
        }
        AggregateCall.Kind kind = node.aggregates().get(a).kind();
        long c = 0;
        long lv = 0;
        double dv = 0;
        for (int i = lo; i < hi; i++) {
          int p = sorted[i];
          long pc = paneCount[a].get(p);
          if (pc == 0) {
            continue;
          }
          if (doubleValue[a] != null) {
            double v = doubleValue[a].get(p);
            dv = c == 0 ? v : switch (kind) {
              case MIN -> Math.min(dv, v);
              case MAX -> Math.max(dv, v);
              default -> dv + v;
            };
          } else {
            long v = longValue[a].get(p);
            lv = c == 0 ? v : kind == AggregateCall.Kind.MIN ? Math.min(lv, v) : Math.max(lv, v);
          }
          c += pc;
        }
        outLong[a][count] = lv;
        outDouble[a][count] = dv;
        outCount[a][count] = c;
      }
      count++;
    }

    private void grow() {
      if (count < rep.length) {
        return;
      }
      int n = rep.length * 2;
      rep = Arrays.copyOf(rep, n);
      starts = Arrays.copyOf(starts, n);
      ends = Arrays.copyOf(ends, n);
      for (int a = 0; a < aggregates; a++) {
        outLong[a] = Arrays.copyOf(outLong[a], n);
        outDouble[a] = Arrays.copyOf(outDouble[a], n);
        outCount[a] = Arrays.copyOf(outCount[a], n);
      }
    }

    /** The emitted windows in state layout: a pane's keys with the window's bounds, and accumulators. */
    ColumnBatch toStateBatch(BufferAllocator allocator) {
      ColumnBatch out = Gather.take(panes, rep, count, allocator);
      try {
        for (int k = 0; k < keyCount; k++) {
          if (isStartKey[k] || isEndKey[k]) {
            BigIntVector v = out.longs(k);
            long[] values = isStartKey[k] ? starts : ends;
            for (int i = 0; i < count; i++) {
              v.set(i, values[i]);
            }
          }
        }
        for (int a = 0; a < aggregates; a++) {
          int column = keyCount + 2 * a;
          if (doubleValue[a] != null) {
            Float8Vector v = out.doubles(column);
            for (int i = 0; i < count; i++) {
              v.set(i, outDouble[a][i]);
            }
          } else {
            BigIntVector v = out.longs(column);
            for (int i = 0; i < count; i++) {
              v.set(i, outLong[a][i]);
            }
          }
          BigIntVector c = out.longs(column + 1);
          for (int i = 0; i < count; i++) {
            c.set(i, outCount[a][i]);
          }
        }
      } catch (RuntimeException e) {
        out.close();
        throw e;
      }
      return out;
    }
  }
}
