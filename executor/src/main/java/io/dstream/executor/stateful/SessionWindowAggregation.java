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
import org.apache.arrow.vector.FieldVector;

/**
 * A GROUP BY over session windows. A partial session is a group of (keys, start, end) with the
 * aggregates' accumulators, in {@link HashAggregator}'s state layout, plus a hidden row count.
 * Map tasks turn each row into the partial session [t, t + gap) (rows of equal key and time
 * pre-aggregated) and shuffle them by key. A reduce partition sorts its open sessions and the new
 * partials by key and start, merges those that overlap (a row less than the gap after a
 * session's last row joins it, and a row between two sessions merges them), emits the sessions
 * whose end the watermark has reached, one block per end in end order, and keeps the others.
 *
 * <p>Late rows, as in Flink: a row is late, dropped and counted, when the session it would
 * belong to ends at or before the watermark at the start of the batch (it would open a session
 * that is already closed). Unlike Flink, a row that would extend or merge with a session already
 * emitted is late too, rather than opening a second, overlapping session: so that this can be
 * checked, an emitted session stays in state as a tombstone (its bounds, with a row count of
 * 0) until the watermark passes its end plus the gap, after which no row that is not late can
 * reach it. State is thus bounded by the open sessions and those emitted within the last gap.
 */
final class SessionWindowAggregation implements StatefulOperator {
  private final PlanNode.SessionAggregate node;
  private final int keyCount;
  private final List<DataType> keyTypes;
  private final List<DataType> groupTypes;
  /** The user's aggregates and a hidden COUNT(*) of rows, for the late row count. */
  private final List<AggregateCall> accumulators;
  private final RowType stateType;
  private final RowType finalType;

  SessionWindowAggregation(PlanNode.SessionAggregate node) {
    this.node = node;
    this.keyCount = node.keys().size();
    List<Column> groupColumns = new ArrayList<>();
    for (int i = 0; i < keyCount + 2; i++) {
      groupColumns.add(node.rowType().column(i));
    }
    RowType groupType = new RowType(groupColumns);
    this.groupTypes = groupColumns.stream().map(Column::type).toList();
    this.keyTypes = groupTypes.subList(0, keyCount);
    List<AggregateCall> all = new ArrayList<>(node.aggregates());
    DataType bigint = DataType.of(DataType.Kind.BIGINT).withNullable(false);
    all.add(new AggregateCall(AggregateCall.Kind.COUNT, -1, null, bigint, "$rows"));
    this.accumulators = List.copyOf(all);
    this.stateType = HashAggregator.stateType(groupType, accumulators);
    List<Column> finalColumns = new ArrayList<>(node.rowType().columns());
    finalColumns.add(new Column("$rows", bigint));
    this.finalType = new RowType(finalColumns);
  }

  @Override
  public RowType shuffleType() {
    return stateType;
  }

  @Override
  public RowType stateType() {
    return stateType;
  }

  private int startColumn() {
    return keyCount;
  }

  private int endColumn() {
    return keyCount + 1;
  }

  @Override
  public ColumnBatch[] partition(ColumnBatch input, int partitions, BufferAllocator allocator) {
    ColumnBatch partials = partials(input, allocator);
    try (partials) {
      HashAggregator keys = new HashAggregator(keyTypes, List.of());
      int[] ids = keys.addKeys(partials, keyColumns());
      int n = partials.rowCount();
      int[][] byPartition = new int[partitions][n];
      int[] counts = new int[partitions];
      for (int i = 0; i < n; i++) {
        int p = keys.partitionOf(ids[i], partitions);
        byPartition[p][counts[p]++] = i;
      }
      return KeyShuffle.take(partials, byPartition, counts, allocator);
    }
  }

  /** One partial session [t, t + gap) per key and time of the input; rows without a time are in none. */
  private ColumnBatch partials(ColumnBatch input, BufferAllocator allocator) {
    int n = input.rowCount();
    BigIntVector time = input.longs(node.timeColumn());
    long gap = node.gapMillis();
    try (BigIntVector end = new BigIntVector("$end", allocator)) {
      end.allocateNew(Math.max(n, 1));
      for (int i = 0; i < n; i++) {
        if (time.isNull(i)) {
          end.setNull(i);
        } else {
          end.set(i, time.get(i) + gap);
        }
      }
      end.setValueCount(n);
      // A view of the input with the end column appended: it borrows the vectors, never closed.
      List<FieldVector> vectors = new ArrayList<>();
      List<Column> columns = new ArrayList<>(input.rowType().columns());
      for (int c = 0; c < input.columnCount(); c++) {
        vectors.add(input.vector(c));
      }
      vectors.add(end);
      columns.add(new Column("$end", DataType.of(DataType.Kind.TIMESTAMP)));
      ColumnBatch extended = new ColumnBatch(new RowType(columns), vectors, n);
      List<Integer> groupColumns = new ArrayList<>(node.keys());
      groupColumns.add(node.timeColumn());
      groupColumns.add(input.columnCount());
      HashAggregator partial = new HashAggregator(groupTypes, accumulators);
      partial.addRaw(extended, groupColumns);
      // Groups with a NULL time bound are in no session.
      int[] timed = partial.groupsWhere(startColumn(), 0, Long.MAX_VALUE, true);
      return partial.stateBatch(stateType, timed, allocator);
    }
  }

  private List<Integer> keyColumns() {
    List<Integer> columns = new ArrayList<>(keyCount);
    for (int c = 0; c < keyCount; c++) {
      columns.add(c);
    }
    return columns;
  }

  @Override
  public Reduction reduce(ColumnBatch previousState, List<ColumnBatch> inputs, ReduceContext context) {
    BufferAllocator allocator = context.allocator();
    List<ColumnBatch> parts = new ArrayList<>();
    if (previousState != null) {
      parts.add(previousState);
    }
    parts.addAll(inputs);
    int stateRows = previousState == null ? 0 : previousState.rowCount();
    HashAggregator sessions = new HashAggregator(groupTypes, accumulators);
    List<ColumnBatch> outputs = new ArrayList<>();
    List<ColumnBatch> stateParts = new ArrayList<>();
    try (ColumnBatch all = Gather.concat(stateType, parts, allocator)) {
      Merge merge = merge(all, stateRows, context, sessions, allocator);
      long watermark = context.watermark();
      int[] closed = sessions.groupsWhere(endColumn(), 0, watermark, true);
      int[] open = sessions.groupsWhere(endColumn(), 0, watermark, false);
      long[] ends = sessions.windowBounds(endColumn(), closed);
      List<Long> order = new ArrayList<>();
      int from = 0;
      while (from < closed.length) {
        int to = from + 1;
        while (to < closed.length && ends[to] == ends[from]) {
          to++;
        }
        outputs.add(withoutRowCount(sessions.finalBatch(finalType, Arrays.copyOfRange(closed, from, to),
            allocator)));
        order.add(ends[from]);
        from = to;
      }
      // Emitted sessions stay as tombstones while a row that is not late could still reach them.
      int[] remembered = new int[closed.length];
      int count = 0;
      for (int c = 0; c < closed.length; c++) {
        if (ends[c] > watermark - node.gapMillis()) {
          remembered[count++] = closed[c];
        }
      }
      stateParts.add(sessions.stateBatch(stateType, open, allocator));
      stateParts.add(Gather.take(all, merge.tombstones(), merge.tombstoneCount(), allocator));
      stateParts.add(asTombstones(sessions.stateBatch(stateType, Arrays.copyOf(remembered, count), allocator),
          allocator));
      ColumnBatch state = Gather.concat(stateType, stateParts, allocator);
      return new Reduction(outputs, order, state, merge.late());
    } catch (RuntimeException e) {
      outputs.forEach(ColumnBatch::close);
      throw e;
    } finally {
      stateParts.forEach(ColumnBatch::close);
    }
  }

  /** Sessions with a row count of 0: the bounds of emitted sessions, never merged or emitted again. */
  private ColumnBatch asTombstones(ColumnBatch sessions, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(sessions.columnCount());
    int n = sessions.rowCount();
    for (int c = 0; c < sessions.columnCount(); c++) {
      if (c < sessions.columnCount() - 2) {
        vectors.add(Gather.share(sessions.vector(c), allocator));
        continue;
      }
      BigIntVector zero = new BigIntVector(sessions.rowType().column(c).name(), allocator);
      zero.allocateNew(Math.max(n, 1));
      for (int i = 0; i < n; i++) {
        zero.set(i, 0);
      }
      zero.setValueCount(n);
      vectors.add(zero);
    }
    sessions.close();
    return new ColumnBatch(stateType, vectors, n);
  }

  /** What merging found: late input rows, and the rows of {@code all} that are tombstones to keep. */
  private record Merge(long late, int[] tombstones, int tombstoneCount) {}

  /**
   * Merges the rows of {@code all} (the previous state first, then new partials) into
   * {@code sessions}, each labelled with the bounds of the session it ends up in. A new row is
   * late when it reaches an emitted session (a tombstone of its key), or when the session it
   * ends up in holds no open session and ends at or before the previous watermark (it would
   * have been closed already).
   */
  private Merge merge(ColumnBatch all, int stateRows, ReduceContext context, HashAggregator sessions,
      BufferAllocator allocator) {
    int n = all.rowCount();
    int[] key = new HashAggregator(keyTypes, List.of()).addKeys(all, keyColumns());
    long[] start = new long[n];
    long[] end = new long[n];
    long[] rows = new long[n];
    BigIntVector starts = all.longs(startColumn());
    BigIntVector ends = all.longs(endColumn());
    BigIntVector rowCounts = all.longs(all.columnCount() - 1);
    for (int i = 0; i < n; i++) {
      start[i] = starts.get(i);
      end[i] = ends.get(i);
      rows[i] = rowCounts.get(i);
    }
    int[] sorted = new int[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = i;
    }
    // By key, then start; at equal starts the previous state comes before new rows.
    IndexSort.sort(sorted, (a, b) -> key[a] != key[b] ? Integer.compare(key[a], key[b])
        : start[a] != start[b] ? Long.compare(start[a], start[b])
        : Boolean.compare(b < stateRows, a < stateRows));
    long previousWatermark = context.previousWatermark();
    long keepTombstonesAfter = context.watermark() - node.gapMillis();
    long late = 0;
    int[] tombstones = new int[n];
    int tombstoneCount = 0;
    int[] kept = new int[n];
    int keptCount = 0;
    long[] mergedStart = new long[n];
    long[] mergedEnd = new long[n];
    int runFrom = 0;
    while (runFrom < n) {
      int runTo = runFrom + 1;
      while (runTo < n && key[sorted[runTo]] == key[sorted[runFrom]]) {
        runTo++;
      }
      long emittedEnd = Long.MIN_VALUE;
      for (int s = runFrom; s < runTo; s++) {
        int i = sorted[s];
        if (i < stateRows && rows[i] == 0) {
          emittedEnd = Math.max(emittedEnd, end[i]);
          if (end[i] > keepTombstonesAfter) {
            tombstones[tombstoneCount++] = i;
          }
        }
      }
      int sessionFrom = keptCount;
      long sessionStart = 0;
      long sessionEnd = Long.MIN_VALUE;
      boolean sessionOpen = false;
      for (int s = runFrom; s < runTo; s++) {
        int i = sorted[s];
        boolean fromState = i < stateRows;
        if (fromState && rows[i] == 0) {
          continue;
        }
        if (!fromState && start[i] < emittedEnd) {
          late += rows[i];
          continue;
        }
        if (keptCount > sessionFrom && start[i] < sessionEnd) {
          sessionEnd = Math.max(sessionEnd, end[i]);
          sessionOpen |= fromState;
        } else {
          boolean valid = sessionOpen || sessionEnd > previousWatermark;
          late += valid ? 0 : rowsOf(kept, sessionFrom, keptCount, rows);
          keptCount = close(kept, sessionFrom, keptCount, mergedStart, mergedEnd, sessionStart, sessionEnd, valid);
          sessionFrom = keptCount;
          sessionStart = start[i];
          sessionEnd = end[i];
          sessionOpen = fromState;
        }
        kept[keptCount++] = i;
      }
      boolean valid = sessionOpen || sessionEnd > previousWatermark;
      late += valid ? 0 : rowsOf(kept, sessionFrom, keptCount, rows);
      keptCount = close(kept, sessionFrom, keptCount, mergedStart, mergedEnd, sessionStart, sessionEnd, valid);
      runFrom = runTo;
    }
    relabel(all, kept, keptCount, mergedStart, mergedEnd, sessions, allocator);
    return new Merge(late, tombstones, tombstoneCount);
  }

  /**
   * Gives the rows kept[from..to) the bounds of the session they form and returns {@code to};
   * when the session is not {@code valid} (late), drops them instead and returns {@code from}.
   */
  private static int close(int[] kept, int from, int to, long[] mergedStart, long[] mergedEnd, long start,
      long end, boolean valid) {
    if (!valid) {
      return from;
    }
    for (int k = from; k < to; k++) {
      mergedStart[kept[k]] = start;
      mergedEnd[kept[k]] = end;
    }
    return to;
  }

  private static long rowsOf(int[] kept, int from, int to, long[] rows) {
    long total = 0;
    for (int k = from; k < to; k++) {
      total += rows[kept[k]];
    }
    return total;
  }

  /** Adds the kept rows of {@code all} to {@code sessions} under their merged session bounds. */
  private void relabel(ColumnBatch all, int[] kept, int count, long[] mergedStart, long[] mergedEnd,
      HashAggregator sessions, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(all.columnCount());
    try {
      for (int c = 0; c < all.columnCount(); c++) {
        if (c == startColumn() || c == endColumn()) {
          BigIntVector v = new BigIntVector(all.rowType().column(c).name(), allocator);
          vectors.add(v);
          v.allocateNew(Math.max(count, 1));
          long[] values = c == startColumn() ? mergedStart : mergedEnd;
          for (int k = 0; k < count; k++) {
            v.set(k, values[kept[k]]);
          }
          v.setValueCount(count);
        } else {
          vectors.add(Gather.take(all.vector(c), kept, count, allocator));
        }
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    try (ColumnBatch labelled = new ColumnBatch(stateType, vectors, count)) {
      sessions.addPartial(labelled);
    }
  }

  /** Drops the hidden row count column (the last one). */
  private ColumnBatch withoutRowCount(ColumnBatch batch) {
    List<FieldVector> vectors = new ArrayList<>(batch.columnCount() - 1);
    for (int c = 0; c < batch.columnCount() - 1; c++) {
      vectors.add(batch.vector(c));
    }
    batch.vector(batch.columnCount() - 1).close();
    return new ColumnBatch(node.rowType(), vectors, batch.rowCount());
  }

  /** The reduce stage as EXPLAIN shows it. */
  static String describe(PlanNode.SessionAggregate node) {
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < node.keys().size(); k++) {
      keys.add(node.rowType().column(k).name());
    }
    List<String> aggregates = new ArrayList<>();
    for (AggregateCall a : node.aggregates()) {
      aggregates.add(a.kind() + "(" + (a.argument() < 0 ? "*" : "$" + a.argument()) + ") AS " + a.name());
    }
    return "SessionWindowAggregate(keys=" + String.join(", ", keys) + ", time=$" + node.timeColumn()
        + ", gap=" + node.gapMillis() + "ms, aggregates=" + aggregates
        + ", state=open sessions per key, emit when watermark >= session end)";
  }
}
