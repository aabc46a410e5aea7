package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.kernel.HashAggregator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A GROUP BY over windows: map tasks pre-aggregate their rows per group and shuffle the partial
 * accumulators by the group keys; each reduce partition merges them into its keyed state and
 * emits, one block per window in window order, the groups whose window end the watermark has
 * reached, then drops them from its state.
 */
final class WindowAggregation implements StatefulOperator {
  private final PlanNode.Aggregate aggregate;
  private final List<DataType> keyTypes;
  private final RowType stateType;

  WindowAggregation(PlanNode.Aggregate aggregate) {
    this.aggregate = aggregate;
    this.keyTypes = keyType(aggregate).columns().stream().map(Column::type).toList();
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
    if (previousState != null) {
      state.addPartial(previousState);
    }
    for (ColumnBatch partial : inputs) {
      state.addPartial(partial);
    }
    int windowKey = aggregate.windowKey();
    long endOffset = aggregate.windowEndOffsetMillis();
    int[] closed = state.groupsWhere(windowKey, endOffset, context.watermark(), true);
    int[] open = state.groupsWhere(windowKey, endOffset, context.watermark(), false);
    // One output block per closed window, in window order, so the driver can emit windows in
    // time order across partitions.
    long[] bounds = state.windowBounds(windowKey, closed);
    List<ColumnBatch> outputs = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    int from = 0;
    while (from < closed.length) {
      int to = from + 1;
      while (to < closed.length && bounds[to] == bounds[from]) {
        to++;
      }
      outputs.add(state.finalBatch(aggregate.rowType(), Arrays.copyOfRange(closed, from, to), context.allocator()));
      order.add(bounds[from]);
      from = to;
    }
    return new Reduction(outputs, order, state.stateBatch(stateType, open, context.allocator()));
  }
}
