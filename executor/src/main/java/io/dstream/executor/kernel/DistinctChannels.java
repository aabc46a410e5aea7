package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.AggregateCall;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;

/**
 * How a {@link HashAggregator} keeps DISTINCT aggregates as plain keyed state. Each distinct
 * (argument, filter) pair is a channel with a key column {@code $dN} appended to the group
 * keys. A group is then stored as one main row, whose channel columns are all NULL and which
 * holds the accumulators of the other aggregates, plus one row per distinct non-NULL value of
 * each channel, with that value in its column, the other channel columns NULL and empty
 * accumulators. Such state merges with the plain key-union of partial aggregation, so the map
 * side's partials, the shuffle, checkpoints and lineage replay need nothing else; a group's
 * rows share its hash partition because partitioning hashes the group keys only. Immutable.
 */
final class DistinctChannels {
  /** A distinct argument column and the filter column (or -1) its rows must pass. */
  record Channel(int argument, DataType type, int filter) {}

  private final List<Channel> channels = new ArrayList<>();
  /** Per call: its channel, or -1 for an aggregate that is not distinct. */
  private final int[] channelOf;
  /** The aggregates kept in accumulators: those that are not distinct. */
  private final List<AggregateCall> accumulated = new ArrayList<>();
  /** Per call: its index in {@link #accumulated}, or -1. */
  private final int[] accumulatedIndex;
  private final List<AggregateCall> calls;

  private DistinctChannels(List<AggregateCall> calls) {
    this.calls = List.copyOf(calls);
    channelOf = new int[calls.size()];
    accumulatedIndex = new int[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      AggregateCall call = calls.get(i);
      channelOf[i] = -1;
      accumulatedIndex[i] = -1;
      if (call.distinct()) {
        Channel channel = new Channel(call.argument(), call.argumentType().withNullable(true), call.filter());
        int c = channels.indexOf(channel);
        if (c < 0) {
          c = channels.size();
          channels.add(channel);
        }
        channelOf[i] = c;
      } else {
        accumulatedIndex[i] = accumulated.size();
        accumulated.add(call);
      }
    }
  }

  /** The channels of {@code calls}, or null when none of them is distinct. */
  static DistinctChannels of(List<AggregateCall> calls) {
    for (AggregateCall call : calls) {
      if (call.distinct()) {
        return new DistinctChannels(calls);
      }
    }
    return null;
  }

  List<Channel> channels() {
    return channels;
  }

  List<AggregateCall> accumulated() {
    return accumulated;
  }

  /** The group key types followed by one key type per channel. */
  List<DataType> stateKeyTypes(List<DataType> keyTypes) {
    List<DataType> out = new ArrayList<>(keyTypes);
    for (Channel c : channels) {
      out.add(c.type());
    }
    return out;
  }

  RowType stateKeys(RowType keys) {
    List<Column> columns = new ArrayList<>(keys.columns());
    for (int c = 0; c < channels.size(); c++) {
      columns.add(new Column("$d" + c, channels.get(c).type()));
    }
    return new RowType(columns);
  }

  /**
   * The final rows of groups {@code selected} of {@code state}: its rows in state layout are
   * folded per group key, each main row giving the other aggregates and each channel row one
   * distinct value to its aggregates. The caller owns the batch.
   */
  ColumnBatch finalBatch(HashAggregator state, List<DataType> keyTypes, RowType outputType, int[] selected,
      BufferAllocator allocator) {
    int k = keyTypes.size();
    RowType stateType = HashAggregator.stateType(new RowType(outputType.columns().subList(0, k)), calls);
    List<AggregateCall> plain = new ArrayList<>();
    for (AggregateCall call : calls) {
      plain.add(new AggregateCall(call.kind(), call.argument(), call.argumentType(), call.resultType(), call.name()));
    }
    RowType plainType = HashAggregator.stateType(new RowType(outputType.columns().subList(0, k)), plain);
    HashAggregator folded = new HashAggregator(keyTypes, plain);
    try (ColumnBatch rows = state.stateBatch(stateType, selected, allocator)) {
      int n = rows.rowCount();
      int m = channels.size();
      List<FieldVector> vectors = new ArrayList<>();
      try {
        for (int c = 0; c < k; c++) {
          vectors.add(Gather.share(rows.vector(c), allocator));
        }
        for (int i = 0; i < calls.size(); i++) {
          String value = plainType.column(k + 2 * i).name();
          String count = plainType.column(k + 2 * i + 1).name();
          if (channelOf[i] < 0) {
            int a = accumulatedIndex[i];
            vectors.add(Gather.share(rows.vector(k + m + 2 * a), allocator));
            vectors.add(Gather.share(rows.vector(k + m + 2 * a + 1), allocator));
            continue;
          }
          FieldVector distinctValues = rows.vector(k + channelOf[i]);
          if (calls.get(i).kind() == AggregateCall.Kind.COUNT) {
            vectors.add(constant(value, 1, n, allocator));
          } else {
            vectors.add(Gather.share(distinctValues, allocator));
          }
          vectors.add(presence(count, distinctValues, n, allocator));
        }
      } catch (RuntimeException e) {
        vectors.forEach(FieldVector::close);
        throw e;
      }
      try (ColumnBatch partial = new ColumnBatch(plainType, vectors, n)) {
        folded.addPartial(partial);
      }
    }
    return folded.finalBatch(outputType, folded.allGroups(), allocator);
  }

  private static BigIntVector constant(String name, long value, int n, BufferAllocator allocator) {
    BigIntVector v = new BigIntVector(name, allocator);
    v.allocateNew(Math.max(1, n));
    for (int i = 0; i < n; i++) {
      v.set(i, value);
    }
    v.setValueCount(n);
    return v;
  }

  /** 1 where {@code values} holds a value, 0 where it is NULL (a row of another channel or a main row). */
  private static BigIntVector presence(String name, FieldVector values, int n, BufferAllocator allocator) {
    BigIntVector v = new BigIntVector(name, allocator);
    v.allocateNew(Math.max(1, n));
    for (int i = 0; i < n; i++) {
      v.set(i, values.isNull(i) ? 0 : 1);
    }
    v.setValueCount(n);
    return v;
  }
}
