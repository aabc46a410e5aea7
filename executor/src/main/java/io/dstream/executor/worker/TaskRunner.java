package io.dstream.executor.worker;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.block.BlockStore;
import io.dstream.executor.kernel.BatchOperator;
import io.dstream.executor.kernel.FilterKernel;
import io.dstream.executor.kernel.KernelContext;
import io.dstream.executor.kernel.ProjectKernel;
import io.dstream.executor.kernel.WindowAssignKernel;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.stateful.StatefulOperator;
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
    return kernels(nodes, null);
  }

  /**
   * The kernels of narrow operators; a join's table is built in {@code allocator} (null: joins
   * are not expected). Kernels that are {@link AutoCloseable} must be closed by the caller.
   */
  static List<BatchOperator> kernels(List<PlanNode> nodes, BufferAllocator allocator) {
    List<BatchOperator> out = new ArrayList<>();
    try {
      for (PlanNode n : nodes) {
        if (n instanceof PlanNode.LookupJoin j) {
          if (allocator == null) {
            throw new IllegalArgumentException("a join needs an allocator for its table: " + n);
          }
          out.add(LookupJoins.kernel(j, allocator));
        } else {
          out.addAll(narrow(List.of(n)));
        }
      }
      return out;
    } catch (RuntimeException | Error e) {
      close(out);
      throw e;
    }
  }

  /** Closes the kernels that hold resources (join tables). */
  static void close(List<BatchOperator> kernels) {
    for (BatchOperator k : kernels) {
      if (k instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing kernel " + k + " failed", e);
        }
      }
    }
  }

  private static List<BatchOperator> narrow(List<PlanNode> nodes) {
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
    // Windows stay open for rows until the watermark passes their end plus the allowed lateness.
    long lateness = dag.aggregate() == null ? 0 : dag.aggregate().allowedLatenessMillis();
    if (dag.stateful() instanceof PlanNode.SlidingAggregate sliding) {
      // Rows are assigned to panes: a pane is open while the last window containing it is.
      lateness = sliding.sizeMillis() - sliding.slideMillis();
    }
    long closing = task.previousWatermark() == Long.MIN_VALUE || task.previousWatermark() == Long.MAX_VALUE
        ? task.previousWatermark() : task.previousWatermark() - lateness;
    KernelContext context = new KernelContext(allocator, closing, task.processingTime());
    QueryDag.Branch branch = dag.branch(task.branch());
    ColumnBatch batch = query.source(task.branch()).read(task.split(), allocator, metrics);
    long inputRows = batch.rowCount();
    long maxEventTime = maxEventTime(batch, branch.scan().timeColumn());
    try {
      batch = pipe(batch, query.mapKernels(task.branch()), context);
      batch = splitLateRows(batch, dag.stateful(), branch.side(), task.previousWatermark(), context);
    } catch (RuntimeException e) {
      context.takeLateBatches().forEach(ColumnBatch::close);
      throw e;
    }
    BlockLocation late = storeLateRows(task, context);
    List<BlockLocation> written = new ArrayList<>();
    try (ColumnBatch out = batch) {
      if (!dag.hasShuffle()) {
        BlockId id = new BlockId(dag.query(), task.batch(), BlockId.Kind.OUTPUT, task.partition(), 0);
        blocks.put(id, transferToStore(out));
        written.add(new BlockLocation(worker, id));
        return new TaskResult(written, List.of(), null, inputRows, out.rowCount(), maxEventTime,
            context.lateRows(), metrics.skippedRows(), late);
      }
      ColumnBatch[] shuffled = query.stateful().partition(branch.side(), out, dag.partitions(), allocator);
      for (int p = 0; p < shuffled.length; p++) {
        BlockId id = new BlockId(dag.query(), task.batch(), BlockId.Kind.SHUFFLE, task.partition(), p);
        blocks.put(id, shuffled[p]);
        written.add(new BlockLocation(worker, id));
      }
      return new TaskResult(written, List.of(), null, inputRows, 0, maxEventTime, context.lateRows(),
          metrics.skippedRows(), late);
    }
  }

  /**
   * Takes out of {@code batch} (the map stage's output, for input {@code side} of the stateful
   * operator) the rows the operator's reduce side would only drop as late, by the same rule, and
   * hands them to {@code context}: for deduplication, rows at or before the watermark at the
   * start of the batch, or without a time; for an interval join, rows with a time and all keys
   * before that watermark. (SESSION windows decide lateness on their reduce side: a row behind
   * the watermark may still fall inside an open session.)
   */
  private static ColumnBatch splitLateRows(ColumnBatch batch, PlanNode.Stateful stateful, int side,
      long previousWatermark, KernelContext context) {
    int time;
    List<Integer> keys;
    if (stateful instanceof PlanNode.Deduplicate dedup) {
      time = dedup.timeColumn();
      keys = null;
    } else if (stateful instanceof PlanNode.Join join && join.kind() == PlanNode.Join.Kind.INTERVAL) {
      time = side == 0 ? join.leftTime() : join.rightTime();
      keys = side == 0 ? join.leftKeys() : join.rightKeys();
    } else {
      return batch;
    }
    BigIntVector times = batch.longs(time);
    int n = batch.rowCount();
    int[] keep = new int[n];
    int[] late = new int[n];
    int kept = 0;
    int lateCount = 0;
    for (int i = 0; i < n; i++) {
      boolean isLate;
      if (keys == null) {
        isLate = times.isNull(i) || times.get(i) <= previousWatermark;
      } else {
        isLate = !times.isNull(i) && times.get(i) < previousWatermark && !anyNull(batch, keys, i);
      }
      if (isLate) {
        late[lateCount++] = i;
      } else {
        keep[kept++] = i;
      }
    }
    if (lateCount == 0) {
      return batch;
    }
    try (batch) {
      context.addLateRows(lateCount);
      context.addLateBatch(io.dstream.executor.kernel.Gather.take(batch, late, lateCount, context.allocator()));
      return io.dstream.executor.kernel.Gather.take(batch, keep, kept, context.allocator());
    }
  }

  private static boolean anyNull(ColumnBatch batch, List<Integer> columns, int row) {
    for (int c : columns) {
      if (batch.vector(c).isNull(row)) {
        return true;
      }
    }
    return false;
  }

  /** Keeps the rows the windows dropped as late in one block for the driver, or returns null. */
  private BlockLocation storeLateRows(Task.MapTask task, KernelContext context) {
    List<ColumnBatch> late = context.takeLateBatches();
    if (late.isEmpty()) {
      return null;
    }

    ColumnBatch rows;
    try {
      rows = late.size() == 1 ? late.get(0)
          : io.dstream.executor.kernel.Gather.concat(late.get(0).rowType(), late, allocator);
    } finally {
      if (late.size() > 1) {
        late.forEach(ColumnBatch::close);
      }
    }
    BlockId id = new BlockId(query.dag().query(), task.batch(), BlockId.Kind.LATE, task.partition(), 0);
    blocks.put(id, rows);
    return new BlockLocation(worker, id);
  }

  private TaskResult runReduce(Task.ReduceTask task) {
    QueryDag dag = query.dag();
    StatefulOperator operator = query.stateful();
    List<ColumnBatch> inputs = new ArrayList<>();
    ColumnBatch previous = null;
    StatefulOperator.Reduction reduction;
    long inputRows = 0;
    try {
      if (task.previousState() != null) {
        previous = fetcher.fetch(task.previousState(), operator.stateType(), allocator);
      }
      for (BlockLocation input : task.inputs()) {
        ColumnBatch partial = fetcher.fetch(input, operator.shuffleType(), allocator);
        inputs.add(partial);
        inputRows += partial.rowCount();
      }
      reduction = operator.reduce(previous, inputs,
          new StatefulOperator.ReduceContext(task.watermark(), task.previousWatermark(), allocator));
    } finally {
      if (previous != null) {
        previous.close();
      }
      inputs.forEach(ColumnBatch::close);
    }
    KernelContext context = new KernelContext(allocator, task.previousWatermark());
    List<ColumnBatch> emitted = new ArrayList<>();
    List<int[]> survivors = new ArrayList<>();
    try {
      for (ColumnBatch output : reduction.outputs()) {
        if (reduction.changes() != null) {
          context.trackRows(output.rowCount());
        }
        ColumnBatch e = pipe(output, query.reduceKernels(), context);
        emitted.add(e);
        survivors.add(context.trackedRows());
      }
      if (reduction.changes() != null) {
        Changelogs.relabel(emitted, survivors, reduction.changes(), reduction.order());
      }
    } catch (RuntimeException e) {
      emitted.forEach(ColumnBatch::close);
      throw e;
    }
    List<BlockLocation> outputs = new ArrayList<>();
    long outputRows = 0;
    for (ColumnBatch e : emitted) {
      outputRows += e.rowCount();
      BlockId outId = new BlockId(dag.query(), task.batch(), BlockId.Kind.OUTPUT, task.partition(), outputs.size());
      blocks.put(outId, e);
      outputs.add(new BlockLocation(worker, outId));
    }
    BlockId stateId = new BlockId(dag.query(), task.batch(), BlockId.Kind.STATE, task.partition(), 0);
    long stateRows = reduction.state().rowCount();
    blocks.put(stateId, reduction.state());
    return new TaskResult(outputs, reduction.order(), new BlockLocation(worker, stateId), inputRows, outputRows,
        Long.MIN_VALUE, reduction.lateRows(), 0, null, stateRows);
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
