package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.HashAggregator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A GROUP BY, over windows or (for a changelog) without: map tasks pre-aggregate their rows per
 * group and shuffle the partial accumulators by the group keys; each reduce partition merges them
 * into its keyed state and emits, one block per window in window order, what {@link
 * PlanNode.Aggregate} says: final values once the watermark reaches a window's end (and again
 * when rows within the allowed lateness update them), or a changelog of every group a batch
 * updates. A window's groups leave the state once the watermark passes its end plus the allowed
 * lateness.
 */
final class WindowAggregation implements StatefulOperator {
  private final PlanNode.Aggregate aggregate;
  private final List<DataType> keyTypes;
  private final RowType stateType;

  WindowAggregation(PlanNode.Aggregate aggregate) {
    this.aggregate = aggregate;
    this.keyTypes = keyType(aggregate).columns().stream().map(Column::type).toList();
    // A group's state is its keys and accumulators; whether it was emitted follows from
    // whether it was in the previous state and from the previous watermark.
    this.stateType = HashAggregator.stateType(keyType(aggregate), aggregate.aggregates());
  }

  /** The group key columns, as the aggregate's output names and types them. */
  static RowType keyType(PlanNode.Aggregate aggregate) {
    List<Column> keys = new ArrayList<>();
    for (int i = 0; i < aggregate.groupKeys().size(); i++) {
      keys.add(aggregate.rowType().column(i));
    }
    return new RowType(keys);
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
    HashAggregator partial = new HashAggregator(keyTypes, aggregate.aggregates());
    partial.addRaw(input, aggregate.groupKeys());
    int[][] byPartition = new int[partitions][];
    int[] counts = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      byPartition[p] = new int[partial.groupCount()];
    }
    for (int g = 0; g < partial.groupCount(); g++) {
      int p = partial.partitionOf(g, partitions);
      byPartition[p][counts[p]++] = g;
    }
    ColumnBatch[] out = new ColumnBatch[partitions];
    for (int p = 0; p < partitions; p++) {
      out[p] = partial.stateBatch(stateType, Arrays.copyOf(byPartition[p], counts[p]), allocator);
    }
    return out;
  }

  @Override
  public Reduction reduce(ColumnBatch previousState, List<ColumnBatch> inputs, ReduceContext context) {
    HashAggregator state = new HashAggregator(keyTypes, aggregate.aggregates());
    int previousGroups = 0;
    if (previousState != null) {
      state.addPartial(previousState);
      previousGroups = state.groupCount();
    }
    List<int[]> touchedIds = new ArrayList<>();
    for (ColumnBatch partial : inputs) {
      touchedIds.add(state.addPartial(partial));
    }
    int groups = state.groupCount();
    boolean[] touched = new boolean[groups];
    for (int[] ids : touchedIds) {
      for (int id : ids) {
        touched[id] = true;
      }
    }
    long watermark = context.watermark();
    long previousWatermark = context.previousWatermark();
    boolean changelog = aggregate.changelog();
    int[] emit = new int[groups];
    int[] retract = new int[groups];
    int[] keep = new int[groups];
    int emitted = 0;
    int retracted = 0;
    int kept = 0;
    for (int g = 0; g < groups; g++) {
      long end = windowEnd(state, g);
      boolean existed = g < previousGroups;
      boolean wasEmitted = existed && (changelog || end <= previousWatermark);
      boolean emitNow = changelog ? touched[g] : end <= watermark && (!wasEmitted || touched[g]);
      if (emitNow) {
        emit[emitted++] = g;
        if (changelog && wasEmitted) {
          retract[retracted++] = g;
        }
      }
      if (!expired(end, watermark)) {
        keep[kept++] = g;
      }
    }
    List<ColumnBatch> outputs = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    List<int[]> changes = changelog ? new ArrayList<>() : null;
    try {
      if (changelog) {
        emitChanges(state, previousState, Arrays.copyOf(emit, emitted), Arrays.copyOf(retract, retracted),
            previousGroups, context, outputs, order, changes);
      } else {
        emitFinal(state, Arrays.copyOf(emit, emitted), context, outputs, order);
      }
    } catch (RuntimeException e) {
      outputs.forEach(ColumnBatch::close);
      throw e;
    }
    return new Reduction(outputs, order, state.stateBatch(stateType, Arrays.copyOf(keep, kept), context.allocator()),
        0, changes);
  }

  /** The end of group {@code g}'s window, or Long.MAX_VALUE for a group without a window. */
  private long windowEnd(HashAggregator state, int g) {
    if (aggregate.windowKey() < 0) {
      return Long.MAX_VALUE;
    }
    Long bound = state.longKey(aggregate.windowKey(), g);
    return bound == null ? Long.MAX_VALUE : bound + aggregate.windowEndOffsetMillis();
  }

  /** Whether a window ending at {@code end} is past its allowed lateness at {@code watermark}. */
  private boolean expired(long end, long watermark) {
    if (end == Long.MAX_VALUE || watermark == Long.MIN_VALUE) {
      return false;
    }
    long lateness = aggregate.allowedLatenessMillis();
    return watermark == Long.MAX_VALUE || end <= watermark - lateness;
  }

  /** One block per window, in window order: the groups' final values. */
  private void emitFinal(HashAggregator state, int[] groups, ReduceContext context, List<ColumnBatch> outputs,
      List<Long> order) {
    for (int[] window : windows(state, groups, order)) {
      outputs.add(state.finalBatch(aggregate.rowType(), window, context.allocator()));
    }
  }

  /**
   * Per window, in window order: a block of -U rows (the previous values of the groups this
   * batch updated, computed from the previous state, whose first groups are those of the new
   * state) and then a block of +I/+U rows with their new values.
   */
  private void emitChanges(HashAggregator state, ColumnBatch previousState, int[] groups, int[] retracted,
      int previousGroups, ReduceContext context, List<ColumnBatch> outputs, List<Long> order, List<int[]> changes) {
    RowType valueType = valueType();
    HashAggregator previous = null;
    if (retracted.length > 0) {
      previous = new HashAggregator(keyTypes, aggregate.aggregates());
      previous.addPartial(previousState);
    }
    List<Long> windowOrder = new ArrayList<>();
    List<int[]> windows = windows(state, groups, windowOrder);
    boolean[] isRetracted = new boolean[state.groupCount()];
    for (int g : retracted) {
      isRetracted[g] = true;
    }
    for (int w = 0; w < windows.size(); w++) {
      int[] window = windows.get(w);
      int[] old = Arrays.stream(window).filter(g -> isRetracted[g]).toArray();
      if (old.length > 0) {
        String[] ops = new String[old.length];
        Arrays.fill(ops, "-U");
        outputs.add(withOperations(previous.finalBatch(valueType, old, context.allocator()), ops, context));
        order.add(windowOrder.get(w));
        changes.add(Arrays.stream(old).map(g -> -(g + 1)).toArray());
      }
      String[] ops = new String[window.length];
      for (int i = 0; i < window.length; i++) {
        ops[i] = window[i] < previousGroups ? "+U" : "+I";
      }
      outputs.add(withOperations(state.finalBatch(valueType, window, context.allocator()), ops, context));
      order.add(windowOrder.get(w));
      changes.add(window.clone());
    }
  }

  /** Splits {@code groups} by window (in window order), adding each window's bound to {@code order}. */
  private List<int[]> windows(HashAggregator state, int[] groups, List<Long> order) {
    List<int[]> out = new ArrayList<>();
    if (groups.length == 0) {
      return out;
    }
    if (aggregate.windowKey() < 0) {
      out.add(groups);
      order.add(Long.MIN_VALUE);
      return out;
    }
    long[] bounds = state.windowBounds(aggregate.windowKey(), groups);
    int from = 0;
    while (from < groups.length) {
      int to = from + 1;
      while (to < groups.length && bounds[to] == bounds[from]) {
        to++;
      }
      out.add(Arrays.copyOfRange(groups, from, to));
      order.add(bounds[from]);
      from = to;
    }
    return out;
  }

  /** The aggregate's output without the trailing operation column of a changelog. */
  private RowType valueType() {
    List<Column> columns = aggregate.rowType().columns();
    return new RowType(columns.subList(0, columns.size() - 1));
  }

  /** Appends the operation column to {@code values}, whose vectors move to the result. */
  private ColumnBatch withOperations(ColumnBatch values, String[] ops, ReduceContext context) {
    List<FieldVector> vectors = new ArrayList<>();
    for (int c = 0; c < values.columnCount(); c++) {
      vectors.add(values.vector(c));
    }
    RowType type = aggregate.rowType();
    VarCharVector op = new VarCharVector(type.column(type.size() - 1).name(), context.allocator());
    op.allocateNew(Math.max(1, ops.length) * 2L, Math.max(1, ops.length));
    for (int i = 0; i < ops.length; i++) {
      op.setSafe(i, ops[i].getBytes(StandardCharsets.US_ASCII));
    }
    op.setValueCount(ops.length);
    vectors.add(op);
    return new ColumnBatch(type, vectors, values.rowCount());
  }
}
