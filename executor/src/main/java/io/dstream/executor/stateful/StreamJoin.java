package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.Gather;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A join of two streams bounded by time ({@link PlanNode.Join}). Map tasks hash-partition the
 * rows of each side on the equi keys into blocks of one shared layout: {@code $side} (0 left,
 * 1 right), {@code $matched}, the left columns, then the right columns (the other side's are
 * NULL). A reduce partition's state is the buffered rows of both sides in that layout.
 *
 * <p>Interval join: the new rows of a batch are joined with each other and with the buffered
 * rows of the other side (new left x (buffered + new) right, buffered left x new right), so each
 * match is emitted exactly once. Then every row that no future row can match is dropped: with
 * watermark W, future rows have times of at least W, so a left row (time lt) stays while
 * {@code lt - lower >= W} and a right row (time rt) while {@code rt + upper >= W}. New rows
 * older than the watermark before the batch are late: dropped and counted (their partners may
 * be gone already). Window join: rows are buffered until the watermark passes their window end,
 * then the rows of the closed windows are joined, emitted one block per window in window order,
 * and dropped.
 *
 * <p>A left outer join emits a left row that never matched with NULL right columns once it
 * leaves the state. Rows with a NULL key or time never match.
 */
final class StreamJoin implements StatefulOperator {
  private static final int SIDE = 0;
  private static final int MATCHED = 1;
  private static final int FIRST = 2;

  private final PlanNode.Join join;
  private final int leftWidth;
  private final int rightWidth;
  private final RowType layout;
  /** Key columns of each side, as indexes into the shared layout. */
  private final int[] leftKeys;
  private final int[] rightKeys;
  private final int leftTime;
  private final int rightTime;

  StreamJoin(PlanNode.Join join) {
    this.join = join;
    RowType left = join.left().rowType();
    RowType right = join.right().rowType();
    this.leftWidth = left.size();
    this.rightWidth = right.size();
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("$side", DataType.of(DataType.Kind.BIGINT).withNullable(false)));
    columns.add(new Column("$matched", DataType.of(DataType.Kind.BOOLEAN).withNullable(false)));
    for (Column c : left.columns()) {
      columns.add(new Column("l$" + c.name(), c.type().withNullable(true)));
    }
    for (Column c : right.columns()) {
      columns.add(new Column("r$" + c.name(), c.type().withNullable(true)));
    }
    this.layout = new RowType(columns);
    this.leftKeys = join.leftKeys().stream().mapToInt(k -> FIRST + k).toArray();
    this.rightKeys = join.rightKeys().stream().mapToInt(k -> FIRST + leftWidth + k).toArray();
    this.leftTime = FIRST + join.leftTime();
    this.rightTime = FIRST + leftWidth + join.rightTime();
  }

  @Override
  public RowType shuffleType() {
    return layout;
  }

  @Override
  public RowType stateType() {
    return layout;
  }

  @Override
  public ColumnBatch[] partition(ColumnBatch input, int partitions, BufferAllocator allocator) {
    return partition(0, input, partitions, allocator);
  }

  @Override
  public ColumnBatch[] partition(int side, ColumnBatch input, int partitions, BufferAllocator allocator) {
    int n = input.rowCount();
    List<Integer> keys = side == 0 ? join.leftKeys() : join.rightKeys();
    FieldVector[] keyVectors = new FieldVector[keys.size()];
    for (int k = 0; k < keyVectors.length; k++) {
      keyVectors[k] = input.vector(keys.get(k));
    }
    int[][] rows = new int[partitions][n];
    int[] counts = new int[partitions];
    for (int r = 0; r < n; r++) {
      // Rows with a NULL key never match: any partition will do.
      int p = hasNull(keyVectors, r) ? 0 : (int) Long.remainderUnsigned(hash(keyVectors, r), partitions);
      rows[p][counts[p]++] = r;
    }
    ColumnBatch[] out = new ColumnBatch[partitions];
    try {
      for (int p = 0; p < partitions; p++) {
        out[p] = sideBatch(side, input, rows[p], counts[p], allocator);
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

  /** Rows {@code rows[0..count)} of one side's batch in the shared layout. */
  private ColumnBatch sideBatch(int side, ColumnBatch input, int[] rows, int count, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(layout.size());
    try {
      BigIntVector sides = new BigIntVector("$side", allocator);
      vectors.add(sides);
      sides.allocateNew(Math.max(count, 1));
      BitVector matched = new BitVector("$matched", allocator);
      vectors.add(matched);
      matched.allocateNew(Math.max(count, 1));
      for (int k = 0; k < count; k++) {
        sides.set(k, side);
        matched.set(k, 0);
      }
      sides.setValueCount(count);
      matched.setValueCount(count);
      for (int c = FIRST; c < layout.size(); c++) {
        boolean own = side == 0 ? c < FIRST + leftWidth : c >= FIRST + leftWidth;
        if (own) {
          int inputColumn = side == 0 ? c - FIRST : c - FIRST - leftWidth;
          vectors.add(Gather.take(input.vector(inputColumn), rows, count, allocator));
        } else {
          vectors.add(nulls(layout.column(c), count, allocator));
        }
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new ColumnBatch(layout, vectors, count);
  }

  private static FieldVector nulls(Column column, int count, BufferAllocator allocator) {
    FieldVector v = ColumnBatch.newVector(column.name(), column.type(), allocator);
    v.setInitialCapacity(Math.max(count, 1));
    v.allocateNew();
    v.getValidityBuffer().setZero(0, v.getValidityBuffer().capacity());
    v.setValueCount(count);
    return v;
  }

  @Override
  public Reduction reduce(ColumnBatch previousState, List<ColumnBatch> inputs, ReduceContext context) {
    List<ColumnBatch> parts = new ArrayList<>(inputs.size() + 1);
    if (previousState != null) {
      parts.add(previousState);
    }
    parts.addAll(inputs);
    try (ColumnBatch all = Gather.concat(layout, parts, context.allocator())) {
      int old = previousState == null ? 0 : previousState.rowCount();
      return join.kind() == PlanNode.Join.Kind.INTERVAL
          ? reduceInterval(all, old, context) : reduceWindow(all, context);
    }
  }

  /** The rows of one reduce: sides, times, key hashes, and which rows can match at all. */
  private final class Rows {
    final ColumnBatch all;
    final int n;
    final boolean[] left;
    final long[] time;
    final long[] hash;
    final boolean[] joinable;
    final FieldVector[] leftKeyVectors;
    final FieldVector[] rightKeyVectors;

    Rows(ColumnBatch all) {
      this.all = all;
      this.n = all.rowCount();
      left = new boolean[n];
      time = new long[n];
      hash = new long[n];
      joinable = new boolean[n];
      leftKeyVectors = vectors(all, leftKeys);
      rightKeyVectors = vectors(all, rightKeys);
      BigIntVector sides = all.longs(SIDE);
      BigIntVector leftTimes = all.longs(leftTime);
      BigIntVector rightTimes = all.longs(rightTime);
      for (int r = 0; r < n; r++) {
        left[r] = sides.get(r) == 0;
        BigIntVector times = left[r] ? leftTimes : rightTimes;
        FieldVector[] keys = left[r] ? leftKeyVectors : rightKeyVectors;
        boolean nullTime = times.isNull(r);
        time[r] = nullTime ? 0 : times.get(r);
        joinable[r] = !nullTime && !hasNull(keys, r);
        hash[r] = joinable[r] ? hash(keys, r) : 0;
      }
    }

    boolean keysEqual(int l, int r) {
      if (hash[l] != hash[r]) {
        return false;
      }
      for (int k = 0; k < leftKeyVectors.length; k++) {
        if (!equal(leftKeyVectors[k], l, rightKeyVectors[k], r)) {
          return false;
        }
      }
      return true;
    }

    /** A hash table over the right rows for which {@code include} holds. */
    RightTable rightTable(boolean[] include) {
      int count = 0;
      for (int r = 0; r < n; r++) {
        if (include[r] && !left[r]) {
          count++;
        }
      }
      int capacity = Integer.highestOneBit(Math.max(2 * count, 2) - 1) << 1;
      int[] head = new int[capacity];
      Arrays.fill(head, -1);
      int[] next = new int[n];
      // Inserted backwards, so that chains list rows in input order.
      for (int r = n - 1; r >= 0; r--) {
        if (include[r] && !left[r]) {
          int slot = (int) (mix(hash[r]) & (capacity - 1));
          next[r] = head[slot];
          head[slot] = r;
        }
      }
      return new RightTable(head, next, capacity - 1);
    }
  }

  private record RightTable(int[] head, int[] next, int mask) {
    int first(long hash) {
      return head[(int) (mix(hash) & mask)];
    }
  }

  /** Matches found so far: left and right row pairs, right -1 for an unmatched left row. */
  private static final class Pairs {
    int[] left = new int[64];
    int[] right = new int[64];
    int count;

    void add(int l, int r) {
      if (count == left.length) {
        left = Arrays.copyOf(left, count * 2);
        right = Arrays.copyOf(right, count * 2);
      }
      left[count] = l;
      right[count] = r;
      count++;
    }
  }

  private Reduction reduceInterval(ColumnBatch all, int old, ReduceContext context) {
    Rows rows = new Rows(all);
    long watermark = context.watermark();
    long previous = context.previousWatermark();
    long lower = join.lowerMillis();
    long upper = join.upperMillis();
    boolean[] valid = new boolean[rows.n];
    boolean[] matched = new boolean[rows.n];
    BitVector matchedBefore = all.booleans(MATCHED);
    Pairs pairs = new Pairs();
    long late = 0;
    for (int r = 0; r < rows.n; r++) {
      if (r < old) {
        valid[r] = true;
        matched[r] = matchedBefore.get(r) != 0;
      } else if (rows.joinable[r] && rows.time[r] < previous) {
        late++;
      } else if (rows.joinable[r]) {
        valid[r] = true;
      } else if (rows.left[r] && join.leftOuter()) {
        pairs.add(r, -1);
      }
    }
    RightTable table = rows.rightTable(valid);
    for (int l = 0; l < rows.n; l++) {
      if (!valid[l] || !rows.left[l]) {
        continue;
      }
      long lt = rows.time[l];
      for (int r = table.first(rows.hash[l]); r >= 0; r = table.next()[r]) {
        if ((l >= old || r >= old) && rows.keysEqual(l, r)) {
          long difference = lt - rows.time[r];
          if (difference >= lower && difference <= upper) {
            pairs.add(l, r);
            matched[l] = true;
          }
        }
      }
    }
    int[] kept = new int[rows.n];
    int keptCount = 0;
    for (int r = 0; r < rows.n; r++) {
      if (!valid[r]) {
        continue;
      }
      boolean alive = rows.left[r]
          ? saturatedSubtract(rows.time[r], lower) >= watermark
          : saturatedAdd(rows.time[r], upper) >= watermark;
      if (alive) {
        kept[keptCount++] = r;
      } else if (rows.left[r] && join.leftOuter() && !matched[r]) {
        pairs.add(r, -1);
      }
    }
    List<ColumnBatch> outputs = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    if (pairs.count > 0) {
      outputs.add(output(all, pairs.left, pairs.right, pairs.count, context.allocator()));
      order.add(0L);
    }
    ColumnBatch state = state(all, kept, keptCount, matched, context.allocator());
    return new Reduction(outputs, order, state, late);
  }

  private Reduction reduceWindow(ColumnBatch all, ReduceContext context) {
    Rows rows = new Rows(all);
    long watermark = context.watermark();
    boolean[] closed = new boolean[rows.n];
    int[] kept = new int[rows.n];
    int keptCount = 0;
    Pairs pairs = new Pairs();
    for (int r = 0; r < rows.n; r++) {
      if (!rows.joinable[r]) {
        if (rows.left[r] && join.leftOuter()) {
          pairs.add(r, -1);
        }
      } else if (rows.time[r] <= watermark) {
        closed[r] = true;
      } else {
        kept[keptCount++] = r;
      }
    }
    RightTable table = rows.rightTable(closed);
    for (int l = 0; l < rows.n; l++) {
      if (!closed[l] || !rows.left[l]) {
        continue;
      }
      boolean found = false;
      for (int r = table.first(rows.hash[l]); r >= 0; r = table.next()[r]) {
        if (rows.time[r] == rows.time[l] && rows.keysEqual(l, r)) {
          pairs.add(l, r);
          found = true;
        }
      }
      if (!found && join.leftOuter()) {
        pairs.add(l, -1);
      }
    }
    // One block per window, in window order.
    long[] ends = new long[pairs.count];
    for (int i = 0; i < pairs.count; i++) {
      int l = pairs.left[i];
      ends[i] = rows.joinable[l] ? rows.time[l] : Long.MIN_VALUE;
    }
    long[] distinct = Arrays.stream(ends).distinct().sorted().toArray();
    List<ColumnBatch> outputs = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    int[] l = new int[pairs.count];
    int[] r = new int[pairs.count];
    for (long end : distinct) {
      int count = 0;
      for (int i = 0; i < pairs.count; i++) {
        if (ends[i] == end) {
          l[count] = pairs.left[i];
          r[count] = pairs.right[i];
          count++;
        }
      }
      outputs.add(output(all, l, r, count, context.allocator()));
      order.add(end);
    }
    ColumnBatch state = state(all, kept, keptCount, new boolean[rows.n], context.allocator());
    return new Reduction(outputs, order, state, 0);
  }

  /** The joined rows: left columns of rows {@code left}, right columns of {@code right} (-1: NULL). */
  private ColumnBatch output(ColumnBatch all, int[] left, int[] right, int count, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(leftWidth + rightWidth);
    try {
      for (int c = 0; c < leftWidth; c++) {
        vectors.add(Gather.take(all.vector(FIRST + c), left, count, allocator));
      }
      for (int c = 0; c < rightWidth; c++) {
        vectors.add(takeOrNull(all.vector(FIRST + leftWidth + c), right, count, allocator));
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new ColumnBatch(join.rowType(), vectors, count);
  }

  private ColumnBatch state(ColumnBatch all, int[] kept, int count, boolean[] matched, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(layout.size());
    try {
      for (int c = 0; c < layout.size(); c++) {
        if (c == MATCHED) {
          BitVector v = new BitVector("$matched", allocator);
          v.allocateNew(Math.max(count, 1));
          for (int k = 0; k < count; k++) {
            v.set(k, matched[kept[k]] ? 1 : 0);
          }
          v.setValueCount(count);
          vectors.add(v);
        } else {
          vectors.add(Gather.take(all.vector(c), kept, count, allocator));
        }
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new ColumnBatch(layout, vectors, count);
  }

  /** Gathers rows like {@link Gather#take}, with NULL where the row index is -1. */
  private static FieldVector takeOrNull(FieldVector vector, int[] rows, int count, BufferAllocator allocator) {
    boolean anyNull = false;
    for (int k = 0; k < count && !anyNull; k++) {
      anyNull = rows[k] < 0;
    }
    if (!anyNull) {
      return Gather.take(vector, rows, count, allocator);
    }
    int[] present = new int[count];
    for (int k = 0; k < count; k++) {
      present[k] = Math.max(rows[k], 0);
    }
    FieldVector out = Gather.take(vector, present, count, allocator);
    for (int k = 0; k < count; k++) {
      if (rows[k] < 0) {
        setNull(out, k);
      }
    }
    return out;
  }

  private static void setNull(FieldVector v, int index) {
    if (v instanceof BigIntVector b) {
      b.setNull(index);
    } else if (v instanceof Float8Vector d) {
      d.setNull(index);
    } else if (v instanceof BitVector b) {
      b.setNull(index);
    } else {
      // Variable width: the value's bytes stay in the buffer, unreachable once it is NULL.
      org.apache.arrow.vector.BitVectorHelper.unsetBit(v.getValidityBuffer(), index);
    }
  }

  private static FieldVector[] vectors(ColumnBatch batch, int[] columns) {
    FieldVector[] out = new FieldVector[columns.length];
    for (int k = 0; k < columns.length; k++) {
      out[k] = batch.vector(columns[k]);
    }
    return out;
  }

  private static boolean hasNull(FieldVector[] keys, int row) {
    for (FieldVector v : keys) {
      if (v.isNull(row)) {
        return true;
      }
    }
    return false;
  }

  /** A hash of a row's keys from their physical values, the same for equal keys of either side. */
  private static long hash(FieldVector[] keys, int row) {
    long h = 0x9E3779B97F4A7C15L;
    for (FieldVector v : keys) {
      long value;
      if (v instanceof BigIntVector b) {
        value = b.get(row);
      } else if (v instanceof Float8Vector d) {
        double x = d.get(row);
        value = x == 0.0 ? 0 : Double.doubleToLongBits(x);
      } else if (v instanceof BitVector b) {
        value = b.get(row);
      } else {
        VarCharVector s = (VarCharVector) v;
        ArrowBuf data = s.getDataBuffer();
        long start = s.getStartOffset(row);
        long end = s.getEndOffset(row);
        value = 1;
        for (long i = start; i < end; i++) {
          value = value * 31 + data.getByte(i);
        }
      }
      h = mix(h * 31 + value);
    }
    return h;
  }

  private static boolean equal(FieldVector a, int i, FieldVector b, int j) {
    if (a instanceof BigIntVector x) {
      return x.get(i) == ((BigIntVector) b).get(j);
    }
    if (a instanceof Float8Vector x) {
      return x.get(i) == ((Float8Vector) b).get(j);
    }
    if (a instanceof BitVector x) {
      return x.get(i) == ((BitVector) b).get(j);
    }
    VarCharVector x = (VarCharVector) a;
    VarCharVector y = (VarCharVector) b;
    return ByteFunctionHelpers.equal(x.getDataBuffer(), x.getStartOffset(i), x.getEndOffset(i),
        y.getDataBuffer(), y.getStartOffset(j), y.getEndOffset(j)) == 1;
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  private static long saturatedSubtract(long a, long b) {
    long r = a - b;
    return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }
}
