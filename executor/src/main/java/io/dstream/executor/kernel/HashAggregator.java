package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.DataType.Physical;
import io.dstream.executor.type.RowType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A columnar hash aggregation: an open-addressing table from group keys to group ids, with
 * accumulators in primitive arrays indexed by group id. Every aggregate keeps two accumulator
 * columns, a value and a count, so partial results (the shuffle's map output) and keyed state
 * share one layout and merge with the same code. DISTINCT aggregates keep their distinct values
 * as extra keyed rows of the same layout (see {@link DistinctChannels}). Not thread-safe; holds
 * no Arrow memory.
 */
public final class HashAggregator {
  private static final int LONG_KEY = 0;
  private static final int STRING_KEY = 1;

  /** The group keys, then a key per distinct channel. */
  private final List<DataType> keyTypes;
  /** The aggregates kept in accumulators (all but the distinct ones). */
  private final List<AggregateCall> aggregates;
  private final List<DataType> groupKeyTypes;
  /** Null when no aggregate is distinct. */
  private final DistinctChannels distinct;
  private final int[] keyKind;
  private final boolean[] accIsDouble;

  private int groups;
  private int[] table = new int[64];
  private long[] groupHash = new long[32];
  /** The hash of a group's group keys alone (without distinct channels); only with channels. */
  private long[] groupPartitionHash;
  private long[][] keyLongs;
  private byte[][][] keyStrings;
  private boolean[][] keyNulls;
  private long[][] accLong;
  private double[][] accDouble;
  private long[][] accCount;

  public HashAggregator(List<DataType> groupKeyTypes, List<AggregateCall> calls) {
    this.groupKeyTypes = List.copyOf(groupKeyTypes);
    this.distinct = DistinctChannels.of(calls);
    this.keyTypes = distinct == null ? this.groupKeyTypes : List.copyOf(distinct.stateKeyTypes(groupKeyTypes));
    this.aggregates = distinct == null ? List.copyOf(calls) : List.copyOf(distinct.accumulated());
    this.groupPartitionHash = distinct == null ? null : new long[32];
    for (AggregateCall call : calls) {
      if (call.distinct() && call.kind() != AggregateCall.Kind.COUNT && call.argumentType() != null
          && call.argumentType().physical() == Physical.STRING) {
        throw new EngineException(ErrorCode.UNSUPPORTED,
            call.kind() + " over a character column is not supported yet");
      }
    }
    int k = keyTypes.size();
    keyKind = new int[k];
    keyLongs = new long[k][];
    keyStrings = new byte[k][][];
    keyNulls = new boolean[k][32];
    for (int c = 0; c < k; c++) {
      keyKind[c] = keyTypes.get(c).physical() == Physical.STRING ? STRING_KEY : LONG_KEY;
      if (keyKind[c] == STRING_KEY) {
        keyStrings[c] = new byte[32][];
      } else {
        keyLongs[c] = new long[32];
      }
    }
    int a = this.aggregates.size();
    accIsDouble = new boolean[a];
    accLong = new long[a][];
    accDouble = new double[a][];
    accCount = new long[a][32];
    for (int i = 0; i < a; i++) {
      AggregateCall call = this.aggregates.get(i);
      if (call.kind() != AggregateCall.Kind.COUNT && call.argumentType() != null
          && call.argumentType().physical() == Physical.STRING) {
        throw new EngineException(ErrorCode.UNSUPPORTED,
            call.kind() + " over a character column is not supported yet");
      }
      accIsDouble[i] = call.kind() != AggregateCall.Kind.COUNT
          && call.argumentType().physical() == Physical.DOUBLE;
      if (accIsDouble[i]) {
        accDouble[i] = new double[32];
      } else {
        accLong[i] = new long[32];
      }
    }
  }

  /**
   * The state (partial) layout: the keys, then a value and a count column per aggregate. With
   * DISTINCT aggregates: the keys, a key column per distinct channel, then a value and a count
   * column per aggregate that is not distinct.
   */
  public static RowType stateType(RowType keys, List<AggregateCall> aggregates) {
    DistinctChannels channels = DistinctChannels.of(aggregates);
    if (channels != null) {
      return stateType(channels.stateKeys(keys), channels.accumulated());
    }
    List<Column> columns = new ArrayList<>(keys.columns());
    for (int i = 0; i < aggregates.size(); i++) {
      AggregateCall call = aggregates.get(i);
      DataType valueType = call.kind() == AggregateCall.Kind.COUNT
          ? DataType.of(Kind.BIGINT) : call.argumentType();
      columns.add(new Column("$v" + i, valueType));
      columns.add(new Column("$c" + i, DataType.of(Kind.BIGINT)));
    }
    return new RowType(columns);
  }

  public int groupCount() {
    return groups;
  }

  /**
   * Aggregates raw input rows; {@code keyColumns}, aggregate arguments and filters index
   * {@code input}. Every row joins its group; an aggregate with a filter only counts the rows
   * where the filter is TRUE.
   */
  public void addRaw(ColumnBatch input, List<Integer> keyColumns) {
    int n = input.rowCount();
    if (distinct == null) {
      accumulate(input, groupIds(input, keyColumns, n, null), n);
      return;
    }
    List<DistinctChannels.Channel> channels = distinct.channels();
    List<Integer> keys = new ArrayList<>(keyColumns);
    for (int c = 0; c < channels.size(); c++) {
      keys.add(-1);
    }
    accumulate(input, groupIds(input, keys, n, null), n);
    for (int c = 0; c < channels.size(); c++) {
      DistinctChannels.Channel channel = channels.get(c);
      FieldVector arg = input.vector(channel.argument());
      boolean[] skip = channel.filter() >= 0 ? notTrue(input.booleans(channel.filter()), n) : new boolean[n];
      if (arg.getNullCount() > 0) {
        for (int i = 0; i < n; i++) {
          skip[i] |= arg.isNull(i);
        }
      }
      keys.set(keyColumns.size() + c, channel.argument());
      groupIds(input, keys, n, skip);
      keys.set(keyColumns.size() + c, -1);
    }
  }

  private void accumulate(ColumnBatch input, int[] ids, int n) {
    for (int a = 0; a < aggregates.size(); a++) {
      AggregateCall call = aggregates.get(a);
      boolean[] skip = call.hasFilter() ? notTrue(input.booleans(call.filter()), n) : null;
      long[] count = accCount[a];
      if (call.argument() < 0) {
        long[] value = accLong[a];
        for (int i = 0; i < n; i++) {
          if (skip == null || !skip[i]) {
            value[ids[i]]++;
            count[ids[i]]++;
          }
        }
        continue;
      }
      FieldVector arg = input.vector(call.argument());
      boolean hasNulls = arg.getNullCount() > 0;
      if (hasNulls) {
        skip = skip == null ? new boolean[n] : skip;
        for (int i = 0; i < n; i++) {
          skip[i] |= arg.isNull(i);
        }
      }
      if (call.kind() == AggregateCall.Kind.COUNT) {
        long[] value = accLong[a];
        for (int i = 0; i < n; i++) {
          if (skip == null || !skip[i]) {
            value[ids[i]]++;
            count[ids[i]]++;
          }
        }
      } else if (accIsDouble[a]) {
        Float8Vector v = (Float8Vector) arg;
        double[] value = accDouble[a];
        for (int i = 0; i < n; i++) {
          if (skip == null || !skip[i]) {
            mergeDouble(call.kind(), value, count, ids[i], v.get(i), 1);
          }
        }
      } else {
        BigIntVector v = (BigIntVector) arg;
        long[] value = accLong[a];
        for (int i = 0; i < n; i++) {
          if (skip == null || !skip[i]) {
            mergeLong(call.kind(), value, count, ids[i], v.get(i), 1);
          }
        }
      }
    }
  }

  /** The rows where a filter is NULL or FALSE. */
  private static boolean[] notTrue(BitVector filter, int n) {
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) {
      out[i] = filter.isNull(i) || filter.get(i) == 0;
    }
    return out;
  }


  /**
   * Inserts the key of every row of {@code input} (without touching accumulators) and returns
   * each row's group id; with no aggregates, this interns keys for the caller's own use.
   */
  public int[] addKeys(ColumnBatch input, List<Integer> keyColumns) {
    return groupIds(input, keyColumns, input.rowCount(), null);
  }

  /**
   * Merges partial rows in {@link #stateType} layout; returns the group id of each row. A group
   * new to this aggregator gets the next id, so the rows of a batch of distinct keys merged into
   * an empty aggregator get ids 0, 1, 2... in row order.
   */
  public int[] addPartial(ColumnBatch partial) {
    int n = partial.rowCount();
    int k = keyTypes.size();
    List<Integer> keys = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      keys.add(c);
    }
    int[] ids = groupIds(partial, keys, n, null);
    for (int a = 0; a < aggregates.size(); a++) {
      AggregateCall.Kind kind = aggregates.get(a).kind();
      BigIntVector counts = partial.longs(k + 2 * a + 1);
      long[] count = accCount[a];
      if (accIsDouble[a]) {
        Float8Vector v = partial.doubles(k + 2 * a);
        double[] value = accDouble[a];
        for (int i = 0; i < n; i++) {
          long c = counts.get(i);
          if (c > 0) {
            mergeDouble(kind, value, count, ids[i], v.get(i), c);
          }
        }
      } else {
        BigIntVector v = partial.longs(k + 2 * a);
        long[] value = accLong[a];
        for (int i = 0; i < n; i++) {
          long c = counts.get(i);
          if (c > 0) {
            mergeLong(kind, value, count, ids[i], v.get(i), c);
          }
        }
      }
    }
    return ids;
  }

  private static void mergeLong(AggregateCall.Kind kind, long[] value, long[] count, int g, long v, long c) {
    switch (kind) {
      case COUNT, SUM, AVG -> value[g] += v;
      case MIN -> value[g] = count[g] == 0 || v < value[g] ? v : value[g];
      case MAX -> value[g] = count[g] == 0 || v > value[g] ? v : value[g];
    }
    count[g] += c;
  }

  private static void mergeDouble(AggregateCall.Kind kind, double[] value, long[] count, int g, double v, long c) {
    switch (kind) {
      case COUNT, SUM, AVG -> value[g] += v;
      case MIN -> value[g] = count[g] == 0 || v < value[g] ? v : value[g];
      case MAX -> value[g] = count[g] == 0 || v > value[g] ? v : value[g];
    }
    count[g] += c;
  }

  /** The group ids whose window bound key plus {@code endOffset} is at most the watermark. */
  public int[] groupsWhere(int windowKey, long endOffset, long watermark, boolean closed) {
    int[] out = new int[groups];
    int count = 0;
    long[] bound = keyLongs[windowKey];
    boolean[] nulls = keyNulls[windowKey];
    for (int g = 0; g < groups; g++) {
      boolean isClosed = !nulls[g] && bound[g] + endOffset <= watermark;
      if (isClosed == closed) {
        out[count++] = g;
      }
    }
    return Arrays.copyOf(out, count);
  }

  /**
   * Sorts {@code groups} in place by the value of window key {@code windowKey} (stable, so
   * groups of one window keep their order) and returns those values, aligned with it.
   */
  public long[] windowBounds(int windowKey, int[] groups) {
    long[] bound = keyLongs[windowKey];
    Integer[] boxed = new Integer[groups.length];
    for (int i = 0; i < groups.length; i++) {
      boxed[i] = groups[i];
    }
    // Coordination-sized work: one entry per closed group, not per row.
    Arrays.sort(boxed, (a, b) -> Long.compare(bound[a], bound[b]));
    long[] out = new long[groups.length];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = boxed[i];
      out[i] = bound[groups[i]];
    }
    return out;
  }

  /** The value of BIGINT/TIMESTAMP-like key column {@code column} of group {@code group}, or null. */
  public Long longKey(int column, int group) {
    return keyNulls[column][group] ? null : keyLongs[column][group];
  }

  public int[] allGroups() {
    int[] out = new int[groups];
    for (int g = 0; g < groups; g++) {
      out[g] = g;
    }
    return out;
  }

  /** Partition of a group for a hash shuffle into {@code partitions} parts. */
  public int partitionOf(int group, int partitions) {
    long h = distinct == null ? groupHash[group] : groupPartitionHash[group];
    h ^= h >>> 29;
    return (int) Long.remainderUnsigned(h, partitions);
  }

  /** The groups in state layout; the caller owns the batch. */
  public ColumnBatch stateBatch(RowType stateType, int[] selected, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>();
    try {
      writeKeys(stateType, selected, allocator, out);
      int k = keyTypes.size();
      for (int a = 0; a < aggregates.size(); a++) {
        String valueName = stateType.column(k + 2 * a).name();
        if (accIsDouble[a]) {
          Float8Vector v = new Float8Vector(valueName, allocator);
          v.allocateNew(Math.max(1, selected.length));
          for (int i = 0; i < selected.length; i++) {
            v.set(i, accDouble[a][selected[i]]);
          }
          v.setValueCount(selected.length);
          out.add(v);
        } else {
          out.add(longVector(valueName, accLong[a], selected, allocator));
        }
        out.add(longVector(stateType.column(k + 2 * a + 1).name(), accCount[a], selected, allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return new ColumnBatch(stateType, out, selected.length);
  }

  /** The groups with final aggregate values: keys, then one column per aggregate. */
  public ColumnBatch finalBatch(RowType outputType, int[] selected, BufferAllocator allocator) {
    if (distinct != null) {
      return distinct.finalBatch(this, groupKeyTypes, outputType, selected, allocator);
    }
    List<FieldVector> out = new ArrayList<>();
    try {
      writeKeys(outputType, selected, allocator, out);
      int k = keyTypes.size();
      for (int a = 0; a < aggregates.size(); a++) {
        out.add(finalVector(a, outputType.column(k + a), selected, allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return new ColumnBatch(outputType, out, selected.length);
  }

  private FieldVector finalVector(int a, Column column, int[] selected, BufferAllocator allocator) {
    AggregateCall call = aggregates.get(a);
    DataType result = column.type();
    int n = selected.length;
    long[] count = accCount[a];
    if (result.physical() == Physical.DOUBLE) {
      Float8Vector v = new Float8Vector(column.name(), allocator);
      v.allocateNew(Math.max(1, n));
      int argScale = call.argumentType() != null && call.argumentType().kind() == Kind.DECIMAL
          ? call.argumentType().scale() : 0;
      double f = Math.pow(10, argScale);
      for (int i = 0; i < n; i++) {
        int g = selected[i];
        if (call.kind() != AggregateCall.Kind.COUNT && count[g] == 0) {
          v.setNull(i);
          continue;
        }
        double value = accIsDouble[a] ? accDouble[a][g] : accLong[a][g] / f;
        v.set(i, call.kind() == AggregateCall.Kind.AVG ? value / count[g] : value);
      }
      v.setValueCount(n);
      return v;
    }
    BigIntVector v = new BigIntVector(column.name(), allocator);
    v.allocateNew(Math.max(1, n));
    int argScale = call.argumentType() != null && call.argumentType().kind() == Kind.DECIMAL
        ? call.argumentType().scale() : 0;
    int resultScale = result.kind() == Kind.DECIMAL ? result.scale() : 0;
    for (int i = 0; i < n; i++) {
      int g = selected[i];
      if (call.kind() == AggregateCall.Kind.COUNT) {
        v.set(i, accLong[a][g]);
        continue;
      }
      if (count[g] == 0) {
        v.setNull(i);
        continue;
      }
      if (accIsDouble[a]) {
        double value = call.kind() == AggregateCall.Kind.AVG ? accDouble[a][g] / count[g] : accDouble[a][g];
        v.set(i, ExpressionEvaluator.roundHalfUp(value * Math.pow(10, resultScale)));
        continue;
      }
      long value = accLong[a][g];
      if (call.kind() == AggregateCall.Kind.AVG) {
        if (argScale == 0 && resultScale == 0) {
          v.set(i, value / count[g]);
        } else {
          v.set(i, BigDecimal.valueOf(value, argScale)
              .divide(BigDecimal.valueOf(count[g]), resultScale, RoundingMode.HALF_UP)
              .unscaledValue().longValue());
        }
      } else if (argScale != resultScale) {
        v.set(i, BigDecimal.valueOf(value, argScale).setScale(resultScale, RoundingMode.HALF_UP)
            .unscaledValue().longValue());
      } else {
        v.set(i, value);
      }
    }
    v.setValueCount(n);
    return v;
  }

  private void writeKeys(RowType type, int[] selected, BufferAllocator allocator, List<FieldVector> out) {
    int n = selected.length;
    for (int c = 0; c < keyTypes.size(); c++) {
      String name = type.column(c).name();
      DataType kt = keyTypes.get(c);
      boolean[] nulls = keyNulls[c];
      switch (kt.physical()) {
        case STRING -> {
          VarCharVector v = new VarCharVector(name, allocator);
          v.allocateNew(Math.max(1, n));
          for (int i = 0; i < n; i++) {
            int g = selected[i];
            if (nulls[g]) {
              v.setNull(i);
            } else {
              v.setSafe(i, keyStrings[c][g]);
            }
          }
          v.setValueCount(n);
          out.add(v);
        }
        case DOUBLE -> {
          Float8Vector v = new Float8Vector(name, allocator);
          v.allocateNew(Math.max(1, n));
          for (int i = 0; i < n; i++) {
            int g = selected[i];
            if (nulls[g]) {
              v.setNull(i);
            } else {
              v.set(i, Double.longBitsToDouble(keyLongs[c][g]));
            }
          }
          v.setValueCount(n);
          out.add(v);
        }
        case BOOLEAN -> {
          BitVector v = new BitVector(name, allocator);
          v.allocateNew(Math.max(1, n));
          for (int i = 0; i < n; i++) {
            int g = selected[i];
            if (nulls[g]) {
              v.setNull(i);
            } else {
              v.set(i, (int) keyLongs[c][g]);
            }
          }
          v.setValueCount(n);
          out.add(v);
        }
        case LONG -> {
          BigIntVector v = new BigIntVector(name, allocator);
          v.allocateNew(Math.max(1, n));
          for (int i = 0; i < n; i++) {
            int g = selected[i];
            if (nulls[g]) {
              v.setNull(i);
            } else {
              v.set(i, keyLongs[c][g]);
            }
          }
          v.setValueCount(n);
          out.add(v);
        }
      }
    }
  }

  private static BigIntVector longVector(String name, long[] values, int[] selected, BufferAllocator allocator) {
    BigIntVector v = new BigIntVector(name, allocator);
    v.allocateNew(Math.max(1, selected.length));
    for (int i = 0; i < selected.length; i++) {
      v.set(i, values[selected[i]]);
    }
    v.setValueCount(selected.length);
    return v;
  }

  // ---- hashing and probing ----

  /**
   * The group of each row, inserting new groups; a key column -1 stands for NULL in every row.
   * Rows marked in {@code skip} (when not null) get no group (-1) and insert none.
   */
  private int[] groupIds(ColumnBatch input, List<Integer> keyColumns, int n, boolean[] skip) {
    int k = keyColumns.size();
    long[] hashes = new long[n];
    long[] partitionHashes = null;
    long[][] longKeys = new long[k][];
    boolean[][] nullKeys = new boolean[k][];
    VarCharVector[] stringKeys = new VarCharVector[k];
    for (int c = 0; c < k; c++) {
      if (c == groupKeyTypes.size() && distinct != null) {
        partitionHashes = hashes.clone();
      }
      boolean[] nulls = new boolean[n];
      nullKeys[c] = nulls;
      if (keyColumns.get(c) < 0) {
        // The same hash as a NULL read from a vector, so that the key matches its stored form.
        java.util.Arrays.fill(nulls, true);
        long h = keyKind[c] == STRING_KEY ? mix(0x9E3779B97F4A7C15L) : mix(0x7F4A7C15L);
        longKeys[c] = keyKind[c] == STRING_KEY ? null : new long[n];
        for (int i = 0; i < n; i++) {
          hashes[i] = hashes[i] * 0x9E3779B97F4A7C15L + h;
        }
        continue;
      }
      FieldVector vector = input.vector(keyColumns.get(c));
      if (keyKind[c] == STRING_KEY) {
        VarCharVector v = (VarCharVector) vector;
        stringKeys[c] = v;
        ArrowBuf offsets = v.getOffsetBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          long h;
          if (v.isNull(i)) {
            nulls[i] = true;
            h = 0x9E3779B97F4A7C15L;
          } else {
            int start = offsets.getInt((long) i * 4);
            int end = offsets.getInt((long) (i + 1) * 4);
            h = 1125899906842597L;
            for (int b = start; b < end; b++) {
              h = 31 * h + data.getByte(b);
            }
          }
          hashes[i] = hashes[i] * 0x9E3779B97F4A7C15L + mix(h);
        }
      } else {
        long[] values = new long[n];
        longKeys[c] = values;
        if (vector instanceof BigIntVector v) {
          boolean hasNulls = v.getNullCount() > 0;
          ArrowBuf data = v.getDataBuffer();
          for (int i = 0; i < n; i++) {
            if (hasNulls && v.isNull(i)) {
              nulls[i] = true;
            } else {
              values[i] = data.getLong((long) i << 3);
            }
          }
        } else if (vector instanceof Float8Vector v) {
          for (int i = 0; i < n; i++) {
            if (v.isNull(i)) {
              nulls[i] = true;
            } else {
              double d = v.get(i);
              values[i] = d == 0.0 ? 0L : Double.doubleToLongBits(d);
            }
          }
        } else {
          BitVector v = (BitVector) vector;
          for (int i = 0; i < n; i++) {
            if (v.isNull(i)) {
              nulls[i] = true;
            } else {
              values[i] = v.get(i);
            }
          }
        }
        for (int i = 0; i < n; i++) {
          hashes[i] = hashes[i] * 0x9E3779B97F4A7C15L + mix(nulls[i] ? 0x7F4A7C15L : values[i]);
        }
      }
    }
    if (partitionHashes == null && distinct != null) {
      partitionHashes = hashes;
    }
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      if (skip != null && skip[i]) {
        ids[i] = -1;
        continue;
      }
      ids[i] = findOrInsert(hashes[i], i, longKeys, nullKeys, stringKeys);
      if (partitionHashes != null) {
        groupPartitionHash[ids[i]] = partitionHashes[i];
      }
    }
    return ids;
  }

  private int findOrInsert(long hash, int row, long[][] longKeys, boolean[][] nullKeys, VarCharVector[] stringKeys) {
    int mask = table.length - 1;
    int slot = (int) (mix(hash) & mask);
    while (true) {
      int entry = table[slot];
      if (entry == 0) {
        int g = newGroup(hash, row, longKeys, nullKeys, stringKeys);
        table[slot] = g + 1;
        if (groups * 2 > table.length) {
          rehash();
        }
        return g;
      }
      int g = entry - 1;
      if (groupHash[g] == hash && keysEqual(g, row, longKeys, nullKeys, stringKeys)) {
        return g;
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean keysEqual(int g, int row, long[][] longKeys, boolean[][] nullKeys, VarCharVector[] stringKeys) {
    for (int c = 0; c < keyKind.length; c++) {
      boolean rowNull = nullKeys[c][row];
      if (rowNull != keyNulls[c][g]) {
        return false;
      }
      if (rowNull) {
        continue;
      }
      if (keyKind[c] == LONG_KEY) {
        if (keyLongs[c][g] != longKeys[c][row]) {
          return false;
        }
      } else {
        byte[] stored = keyStrings[c][g];
        VarCharVector v = stringKeys[c];
        int start = v.getOffsetBuffer().getInt((long) row * 4);
        int end = v.getOffsetBuffer().getInt((long) (row + 1) * 4);
        if (end - start != stored.length) {
          return false;
        }
        ArrowBuf data = v.getDataBuffer();
        for (int b = 0; b < stored.length; b++) {
          if (data.getByte(start + b) != stored[b]) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private int newGroup(long hash, int row, long[][] longKeys, boolean[][] nullKeys, VarCharVector[] stringKeys) {
    int g = groups++;
    if (g == groupHash.length) {
      grow();
    }
    groupHash[g] = hash;
    for (int c = 0; c < keyKind.length; c++) {
      boolean isNull = nullKeys[c][row];
      keyNulls[c][g] = isNull;
      if (keyKind[c] == LONG_KEY) {
        keyLongs[c][g] = isNull ? 0 : longKeys[c][row];
      } else if (!isNull) {
        keyStrings[c][g] = stringKeys[c].get(row);
      }
    }
    return g;
  }

  private void grow() {
    int capacity = groupHash.length * 2;
    groupHash = Arrays.copyOf(groupHash, capacity);
    if (groupPartitionHash != null) {
      groupPartitionHash = Arrays.copyOf(groupPartitionHash, capacity);
    }
    for (int c = 0; c < keyKind.length; c++) {
      keyNulls[c] = Arrays.copyOf(keyNulls[c], capacity);
      if (keyKind[c] == LONG_KEY) {
        keyLongs[c] = Arrays.copyOf(keyLongs[c], capacity);
      } else {
        keyStrings[c] = Arrays.copyOf(keyStrings[c], capacity);
      }
    }
    for (int a = 0; a < aggregates.size(); a++) {
      accCount[a] = Arrays.copyOf(accCount[a], capacity);
      if (accIsDouble[a]) {
        accDouble[a] = Arrays.copyOf(accDouble[a], capacity);
      } else {
        accLong[a] = Arrays.copyOf(accLong[a], capacity);
      }
    }
  }

  private void rehash() {
    int[] bigger = new int[table.length * 2];
    int mask = bigger.length - 1;
    for (int g = 0; g < groups; g++) {
      int slot = (int) (mix(groupHash[g]) & mask);
      while (bigger[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      bigger[slot] = g + 1;
    }
    table = bigger;
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
