package io.dstream.executor.stateful;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The stateful operator of a query, cut by the shuffle into a map side and a reduce side. Its
 * state between batches is one Arrow batch per reduce partition, so that it can be moved,
 * checkpointed and recomputed from lineage like any block. Implementations are stateless
 * themselves (one instance serves every task of the query) and deterministic.
 */
public interface StatefulOperator {
  /** The layout of the blocks the map side writes for the reduce side. */
  RowType shuffleType();

  /** The layout of one partition's state between batches. */
  RowType stateType();

  /**
   * Map side: splits {@code input} (the batch after the map operators) into one batch per
   * reduce partition, in {@link #shuffleType} layout, possibly pre-aggregated. Does not close
   * {@code input}; the caller owns the returned batches.
   */
  ColumnBatch[] partition(ColumnBatch input, int partitions, BufferAllocator allocator);

  /**
   * Map side of input {@code side} of an operator with several inputs (a join: 0 left, 1 right);
   * the blocks it returns carry the side. Single-input operators ignore the side.
   */
  default ColumnBatch[] partition(int side, ColumnBatch input, int partitions, BufferAllocator allocator) {
    return partition(input, partitions, allocator);
  }

  /**
   * Reduce side of one partition for one batch: folds {@code inputs} (shuffle blocks) into
   * {@code previousState} (null before the first batch) and emits what the watermark made
   * final. Does not close its arguments; the caller owns the result.
   */
  Reduction reduce(ColumnBatch previousState, List<ColumnBatch> inputs, ReduceContext context);

  /** What a reduce task knows of time. */
  record ReduceContext(long watermark, long previousWatermark, BufferAllocator allocator) {}

  /**
   * A reduce's result: output batches in emission order, each with an order key (a window
   * bound, for instance) by which the driver interleaves the partitions' outputs, the new
   * state, and the input rows dropped as late (older than the watermark before the batch). For
   * a changelog, {@code changes} gives, per output batch, each row's group: g for the group's
   * new values (+I, +U), -(g + 1) for its previous values (-U); the task then relabels the rows
   * that the operators after the aggregate (HAVING) split: a -U whose +U was filtered out is a
   * delete (-D), a +U whose -U was filtered out is an insert (+I).
   */
  record Reduction(List<ColumnBatch> outputs, List<Long> order, ColumnBatch state, long lateRows,
      List<int[]> changes) {
    /** A reduction that emits no changelog. */
    public Reduction(List<ColumnBatch> outputs, List<Long> order, ColumnBatch state, long lateRows) {
      this(outputs, order, state, lateRows, null);
    }

    /** A reduction that found no late rows (they were dropped on the map side, if any). */
    public Reduction(List<ColumnBatch> outputs, List<Long> order, ColumnBatch state) {
      this(outputs, order, state, 0);
    }
  }
}
