package io.dstream.executor.worker;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.block.BlockStore;
import io.dstream.executor.kernel.BatchOperator;
import io.dstream.executor.kernel.Gather;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.Source;
import io.dstream.executor.type.RowType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A worker: task slots, a block store and an allocator. Runs the tasks the driver launches on
 * it and holds the blocks they write. Thread-safe.
 */
public final class Worker implements AutoCloseable {
  private final String id;
  private final BufferAllocator allocator;
  private final BlockStore blocks = new BlockStore();
  private final ExecutorService slots;
  private final Map<String, InstalledQuery> queries = new ConcurrentHashMap<>();
  private final BlockFetcher fetcher;

  /** Reads a block that may live on another worker, as a batch owned by the caller. */
  @FunctionalInterface
  public interface BlockFetcher {
    ColumnBatch fetch(BlockLocation location, RowType rowType, BufferAllocator allocator);
  }

  record InstalledQuery(QueryDag dag, Source source, List<BatchOperator> mapKernels,
      List<BatchOperator> reduceKernels) {}

  public Worker(String id, int cores, BufferAllocator root, BlockFetcher fetcher) {
    this.id = requireNonNull(id, "id is null");
    this.allocator = root.newChildAllocator("worker-" + id, 0, Long.MAX_VALUE);
    this.fetcher = requireNonNull(fetcher, "fetcher is null");
    AtomicInteger threads = new AtomicInteger();
    this.slots = Executors.newFixedThreadPool(cores, r -> {
      Thread t = new Thread(r, "dstream-worker-" + id + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public String id() {
    return id;
  }

  public BlockStore blocks() {
    return blocks;
  }

  public void install(QueryDag dag, Source source) {
    queries.put(dag.query(), new InstalledQuery(dag, source,
        TaskRunner.kernels(dag.mapOperators()), TaskRunner.kernels(dag.reduceOperators())));
  }

  public void uninstall(String query) {
    queries.remove(query);
    blocks.removeIf(b -> b.query().equals(query));
  }

  public CompletableFuture<TaskResult> launch(Task task) {
    InstalledQuery query = queries.get(task.query());
    if (query == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "query " + task.query() + " is not installed on worker " + id));
    }
    return CompletableFuture.supplyAsync(
        () -> new TaskRunner(id, query, blocks, allocator, fetcher).run(task), slots);
  }

  /** A zero-copy view of a local block for a reader on any worker of this process. */
  public ColumnBatch read(BlockId block, BufferAllocator target) {
    ColumnBatch batch = blocks.get(block);
    if (batch == null) {
      throw new IllegalStateException("block " + block + " is not on worker " + id);
    }
    return Gather.share(batch, target);
  }

  @Override
  public void close() {
    slots.shutdownNow();
    try {
      slots.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    blocks.close();
    allocator.close();
  }
}
