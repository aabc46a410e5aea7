package io.dstream.executor.transport;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.codec.PlanCodec;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.Source;
import io.dstream.executor.type.RowType;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.worker.Worker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.BufferAllocator;

/** Workers in the driver's JVM, called directly; blocks are shared without copying. */
public final class InProcessTransport implements Transport {
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private final int parallelism;

  public InProcessTransport(int workerCount, int cores, BufferAllocator root) {
    this.parallelism = workerCount * cores;
    for (int i = 0; i < workerCount; i++) {
      String id = "w" + i;
      workers.put(id, new Worker(id, cores, root, this::fetch));
    }
  }

  @Override
  public List<String> workers() {
    return new ArrayList<>(workers.keySet());
  }

  @Override
  public int parallelism() {
    return parallelism;
  }

  public Worker worker(String id) {
    return workers.get(id);
  }

  @Override
  public void install(QueryDag dag, Source source, SourceDescriptor descriptor) {
    install(dag, java.util.Collections.singletonList(source), java.util.Collections.singletonList(descriptor));
  }

  @Override
  public void install(QueryDag dag, List<Source> sources, List<SourceDescriptor> descriptors) {
    // Plans and tasks cross the same encoding as on the network, so the embedded engine cannot
    // depend on anything a worker process would not receive; blocks stay zero-copy Arrow.
    QueryDag shipped = PlanCodec.decodeQueryDag(PlanCodec.encode(dag));
    workers.values().forEach(w -> w.installInputs(shipped, sources));
  }

  @Override
  public void uninstall(String query) {
    workers.values().forEach(w -> w.uninstall(query));
  }

  @Override
  public CompletableFuture<TaskResult> launch(String worker, Task task) {
    return workers.get(worker).launch(PlanCodec.decodeTask(PlanCodec.encode(task)))
        .thenApply(result -> PlanCodec.decodeTaskResult(PlanCodec.encode(result)));
  }

  @Override
  public void cancel(String worker, Task task) {
    Worker w = workers.get(worker);
    if (w != null) {
      w.cancel(task);
    }
  }

  @Override
  public ColumnBatch fetch(BlockLocation location, RowType rowType, BufferAllocator allocator) {
    return workers.get(location.worker()).read(location.block(), allocator);
  }

  @Override
  public void remove(BlockLocation location) {
    Worker w = workers.get(location.worker());
    if (w != null) {
      w.blocks().remove(location.block());
    }
  }

  @Override
  public CompletableFuture<Void> store(String worker, BlockId id, ColumnBatch batch, RowType rowType) {
    try {
      worker(worker, "storing block " + id).store(id, batch);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> checkpoint(BlockLocation state, RowType rowType, Path file) {
    try {
      return worker(state.worker(), "checkpointing block " + state.block()).checkpoint(state.block(), file);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public BlockLocation restore(String worker, BlockId block, RowType rowType, Path file) {
    return worker(worker, "restoring block " + block).restore(block, rowType, file);
  }

  private Worker worker(String id, String what) {
    Worker w = workers.get(id);
    if (w == null) {
      throw new EngineException(ErrorCode.WORKER_LOST, "No worker " + id + " for " + what);
    }
    return w;
  }

  @Override
  public void close() {
    workers.values().forEach(Worker::close);
  }
}
