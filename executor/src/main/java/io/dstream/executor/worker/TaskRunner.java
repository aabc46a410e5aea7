package io.dstream.executor.worker;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.block.BlockStore;
import io.dstream.executor.kernel.BatchOperator;
import io.dstream.executor.kernel.FilterKernel;
import io.dstream.executor.kernel.HashAggregator;
import io.dstream.executor.kernel.KernelContext;
import io.dstream.executor.kernel.ProjectKernel;
import io.dstream.executor.kernel.WindowAssignKernel;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.SourceMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;

/** Runs one task on a worker: the map or reduce side of one partition of one batch. */
final class TaskRunner {
  private final String worker;
  private final Worker.InstalledQuery query;
  private final BlockStore blocks;
  private final BufferAllocator allocator;
  private final Worker.BlockFetcher fetcher;

  TaskRunner(String worker, Worker.InstalledQuery query, BlockStore blocks, BufferAllocator allocator,
      Worker.BlockFetcher fetcher) {
    this.worker = worker;
    this.query = query;
    this.blocks = blocks;
    this.allocator = allocator;
    this.fetcher = fetcher;
  }

  static List<BatchOperator> kernels(List<PlanNode> nodes) {
    List<BatchOperator> out = new ArrayList<>();
    for (PlanNode n : nodes) {
      if (n instanceof PlanNode.Filter f) {
        out.add(new FilterKernel(f.condition()));
      } else if (n instanceof PlanNode.Project p) {
        out.add(new ProjectKernel(p.expressions(), p.rowType()));
      } else if (n instanceof PlanNode.WindowAssign w) {
        out.add(new WindowAssignKernel(w));
      } else {
        throw new IllegalArgumentException("not a narrow operator: " + n);
      }
    }
    return out;
  }

  TaskResult run(Task task) {
    if (task instanceof Task.MapTask map) {
      return runMap(map);
    }
    return runReduce((Task.ReduceTask) task);
  }

  private TaskResult runMap(Task.MapTask task) {
    QueryDag dag = query.dag();
    SourceMetrics metrics = new SourceMetrics();
    KernelContext context = new KernelContext(allocator, task.previousWatermark(), task.processingTime());
    ColumnBatch batch = query.source().read(task.split(), allocator, metrics);
    long inputRows = batch.rowCount();
    long maxEventTime = maxEventTime(batch, dag.scan().timeColumn());
    batch = pipe(batch, query.mapKernels(), context);
    List<BlockLocation> written = new ArrayList<>();
    try (ColumnBatch out = batch) {
      if (!dag.hasShuffle()) {
        BlockId id = new BlockId(dag.query(), task.batch(), BlockId.Kind.OUTPUT, task.partition(), 0);
        blocks.put(id, transferToStore(out));
        written.add(new BlockLocation(worker, id));
        return new TaskResult(written, List.of(), null, inputRows, out.rowCount(), maxEventTime,
            context.lateRows(), metrics.skippedRows());
      }
      PlanNode.Aggregate agg = dag.aggregate();
      HashAggregator partial = new HashAggregator(dag.keyType().columns().stream().map(c -> c.type()).toList(),
          agg.aggregates());
      partial.addRaw(out, agg.groupKeys());
      int partitions = dag.partitions();
      int[][] byPartition = new int[partitions][];
      int[] counts = new int[partitions];
      for (int p = 0; p < partitions; p++) {
        byPartition[p] = new int[partial.groupCount()];
      }
      for (int g = 0; g < partial.groupCount(); g++) {
        int p = partial.partitionOf(g, partitions);
        byPartition[p][counts[p]++] = g;
      }
      for (int p = 0; p < partitions; p++) {
        int[] groups = java.util.Arrays.copyOf(byPartition[p], counts[p]);
        BlockId id = new BlockId(dag.query(), task.batch(), BlockId.Kind.SHUFFLE, task.partition(), p);
        blocks.put(id, partial.stateBatch(dag.stateType(), groups, allocator));
        written.add(new BlockLocation(worker, id));
      }
      return new TaskResult(written, List.of(), null, inputRows, 0, maxEventTime, context.lateRows(),
          metrics.skippedRows());
    }
  }

  private TaskResult runReduce(Task.ReduceTask task) {
    QueryDag dag = query.dag();
    PlanNode.Aggregate agg = dag.aggregate();
    HashAggregator state = new HashAggregator(dag.keyType().columns().stream().map(c -> c.type()).toList(),
        agg.aggregates());
    long inputRows = 0;
    if (task.previousState() != null) {
      try (ColumnBatch previous = fetcher.fetch(task.previousState(), dag.stateType(), allocator)) {
        state.addPartial(previous);
      }
    }
    for (BlockLocation input : task.inputs()) {
      try (ColumnBatch partial = fetcher.fetch(input, dag.stateType(), allocator)) {
        inputRows += partial.rowCount();
        state.addPartial(partial);
      }
    }
    int[] closed = state.groupsWhere(agg.windowKey(), agg.windowEndOffsetMillis(), task.watermark(), true);
    int[] open = state.groupsWhere(agg.windowKey(), agg.windowEndOffsetMillis(), task.watermark(), false);
    KernelContext context = new KernelContext(allocator, task.previousWatermark());
    // One output block per closed window, in window order, so the driver can emit windows in
    // time order across partitions.
    long[] bounds = state.windowBounds(agg.windowKey(), closed);
    List<BlockLocation> outputs = new ArrayList<>();
    List<Long> order = new ArrayList<>();
    long outputRows = 0;
    int from = 0;
    while (from < closed.length) {
      int to = from + 1;
      while (to < closed.length && bounds[to] == bounds[from]) {
        to++;
      }
      int[] window = java.util.Arrays.copyOfRange(closed, from, to);
      ColumnBatch emitted = pipe(state.finalBatch(agg.rowType(), window, allocator), query.reduceKernels(), context);
      outputRows += emitted.rowCount();
      BlockId outId = new BlockId(dag.query(), task.batch(), BlockId.Kind.OUTPUT, task.partition(), order.size());
      blocks.put(outId, emitted);
      outputs.add(new BlockLocation(worker, outId));
      order.add(bounds[from]);
      from = to;
    }
    BlockId stateId = new BlockId(dag.query(), task.batch(), BlockId.Kind.STATE, task.partition(), 0);
    blocks.put(stateId, state.stateBatch(dag.stateType(), open, allocator));
    return new TaskResult(outputs, order, new BlockLocation(worker, stateId), inputRows, outputRows,
        Long.MIN_VALUE, 0, 0);
  }

  private static ColumnBatch pipe(ColumnBatch batch, List<BatchOperator> kernels, KernelContext context) {
    ColumnBatch current = batch;
    for (BatchOperator k : kernels) {
      current = k.apply(current, context);
    }
    return current;
  }

  /** Blocks outlive the task, so their buffers are re-homed in the worker's allocator. */
  private ColumnBatch transferToStore(ColumnBatch out) {
    return io.dstream.executor.kernel.Gather.share(out, allocator);
  }

  private static long maxEventTime(ColumnBatch batch, int timeColumn) {
    if (timeColumn < 0) {
      return Long.MIN_VALUE;
    }
    BigIntVector v = batch.longs(timeColumn);
    long max = Long.MIN_VALUE;
    boolean nulls = v.getNullCount() > 0;
    for (int i = 0; i < batch.rowCount(); i++) {
      if (!nulls || !v.isNull(i)) {
        max = Math.max(max, v.get(i));
      }
    }
    return max;
  }
}
