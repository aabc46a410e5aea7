package io.dstream.executor.worker;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.block.BlockStore;
import io.dstream.executor.checkpoint.CheckpointFile;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.kernel.BatchOperator;
import io.dstream.executor.kernel.Gather;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.Source;
import io.dstream.executor.stateful.StatefulOperator;
import io.dstream.executor.stateful.StatefulOperators;
import io.dstream.executor.type.RowType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
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
  private final ThreadPoolExecutor slots;
  private final ExecutorService checkpointWriter;
  private final Map<String, InstalledQuery> queries = new ConcurrentHashMap<>();
  private final Map<TaskKey, Launched> launched = new ConcurrentHashMap<>();
  private final BlockFetcher fetcher;
  private final long taskDelayMillis;

  /** Reads a block that may live on another worker, as a batch owned by the caller. */
  @FunctionalInterface
  public interface BlockFetcher {
    ColumnBatch fetch(BlockLocation location, RowType rowType, BufferAllocator allocator);
  }

  /**
   * A query installed on this worker: a source and map kernels per input branch of its DAG;
   * {@code stateful} is null for a map-only query.
   */
  record InstalledQuery(QueryDag dag, List<Source> sources, List<List<BatchOperator>> branchKernels,
      StatefulOperator stateful, List<BatchOperator> reduceKernels) {
    InstalledQuery {
      sources = java.util.Collections.unmodifiableList(new ArrayList<>(sources));
      branchKernels = List.copyOf(branchKernels);
      if (sources.size() != dag.branches().size()) {
        throw new IllegalArgumentException("query " + dag.query() + " has " + dag.branches().size()
            + " inputs but " + sources.size() + " sources");
      }
    }

    /** The source of the first (or only) input branch. */
    Source source() {
      return sources.get(0);
    }

    Source source(int branch) {
      return sources.get(branch);
    }

    /** The map kernels of the first (or only) input branch. */
    List<BatchOperator> mapKernels() {
      return branchKernels.get(0);
    }

    List<BatchOperator> mapKernels(int branch) {
      return branchKernels.get(branch);
    }

    /** Releases what the kernels hold (a join's table; tasks still running keep it alive). */
    void close() {
      branchKernels.forEach(TaskRunner::close);
      TaskRunner.close(reduceKernels);
    }
  }

  /**
   * Identifies a task on one worker: the driver runs at most one copy of a task per worker
   * (a speculative copy goes to another worker).
   */
  private record TaskKey(String query, long batch, boolean reduce, int partition) {
    static TaskKey of(Task task) {
      return new TaskKey(task.query(), task.batch(), task instanceof Task.ReduceTask, task.partition());
    }
  }

  public Worker(String id, int cores, BufferAllocator root, BlockFetcher fetcher) {
    this(id, cores, root, fetcher, 0);
  }

  /**
   * A worker that waits {@code taskDelayMillis} in its task slot before running each task: a
   * test option that makes it a straggler (0 in production).
   */
  public Worker(String id, int cores, BufferAllocator root, BlockFetcher fetcher, long taskDelayMillis) {
    this.id = requireNonNull(id, "id is null");
    this.allocator = root.newChildAllocator("worker-" + id, 0, Long.MAX_VALUE);
    this.fetcher = requireNonNull(fetcher, "fetcher is null");
    if (taskDelayMillis < 0) {
      throw new IllegalArgumentException("task delay must not be negative, was " + taskDelayMillis);
    }
    this.taskDelayMillis = taskDelayMillis;
    AtomicInteger threads = new AtomicInteger();
    this.slots = new ThreadPoolExecutor(cores, cores, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "dstream-worker-" + id + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.checkpointWriter = checkpointWriter(id);
  }

  /** Writes checkpoint files off the task slots, so a checkpoint never delays a batch's tasks. */
  private static ExecutorService checkpointWriter(String id) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "dstream-worker-" + id + "-checkpoint");
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

  /**
   * Installs (or reinstalls) a query: builds its kernels (the tables it joins with, once) and
   * fails when they cannot be built here, for example when a user-defined function's class is
   * not on this worker's classpath.
   */
  public void install(QueryDag dag, Source source) {
    installInputs(dag, java.util.Collections.singletonList(source));
  }

  /** Installs (or reinstalls) a query with one source per input branch of its DAG, in branch order. */
  public void installInputs(QueryDag dag, List<Source> sources) {
    List<List<BatchOperator>> kernels = new ArrayList<>();
    List<BatchOperator> reduce;
    try {
      for (QueryDag.Branch branch : dag.branches()) {
        kernels.add(TaskRunner.kernels(branch.mapOperators(), allocator));
      }
      reduce = TaskRunner.kernels(dag.reduceOperators(), allocator);
    } catch (RuntimeException | Error e) {
      kernels.forEach(TaskRunner::close);
      if (e instanceof EngineException ee) {
        throw new EngineException(ee.code(), "Worker " + id + " cannot install query " + dag.query() + ": "
            + ee.getMessage(), ee);
      }
      throw e;
    }
    InstalledQuery previous = queries.put(dag.query(), new InstalledQuery(dag, sources, kernels,
        dag.stateful() == null ? null : StatefulOperators.of(dag.stateful()), reduce));
    if (previous != null) {
      previous.close();
    }
  }

  public void uninstall(String query) {
    InstalledQuery removed = queries.remove(query);
    if (removed != null) {
      removed.close();
    }
    blocks.removeIf(b -> b.query().equals(query));
  }

  public CompletableFuture<TaskResult> launch(Task task) {
    InstalledQuery query = queries.get(task.query());
    if (query == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "query " + task.query() + " is not installed on worker " + id));
    }
    Launched run = new Launched(TaskKey.of(task), query, task);
    launched.put(run.key, run);
    slots.execute(run);
    return run.result;
  }

  /**
   * Drops this worker's copy of {@code task}, which the driver no longer needs: a queued copy
   * never runs, a running one finishes and then removes the blocks it wrote. Either way its
   * future fails with a {@link CancellationException}. Does nothing for an unknown task.
   */
  public void cancel(Task task) {
    Launched run = launched.get(TaskKey.of(task));
    if (run == null) {
      return;
    }
    run.cancelled = true;
    if (slots.remove(run)) {
      run.end(null, run.cancellation());
    }
  }

  /** A task in a slot's queue or running: its result, and whether the driver still needs it. */
  private final class Launched implements Runnable {
    final TaskKey key;
    final InstalledQuery query;
    final Task task;
    final CompletableFuture<TaskResult> result = new CompletableFuture<>();
    volatile boolean cancelled;

    Launched(TaskKey key, InstalledQuery query, Task task) {
      this.key = key;
      this.query = query;
      this.task = task;
    }

    @Override
    public void run() {
      try {
        if (taskDelayMillis > 0) {
          Thread.sleep(taskDelayMillis);
        }
        if (cancelled) {
          end(null, cancellation());
          return;
        }
        TaskResult r = new TaskRunner(id, query, blocks, allocator, fetcher).run(task);
        if (cancelled || queries.get(task.query()) == null) {
          // A losing copy, or its query was uninstalled meanwhile: nobody will read its blocks.
          dropBlocks(r);
          end(null, cancellation());
        } else {
          end(r, null);
        }
      } catch (Throwable t) {
        end(null, t);
      }
    }

    void end(TaskResult r, Throwable error) {
      launched.remove(key, this);
      if (error == null) {
        result.complete(r);
      } else {
        result.completeExceptionally(error);
      }
    }

    CancellationException cancellation() {
      return new CancellationException("task " + key + " on worker " + id + " was cancelled");
    }
  }

  private void dropBlocks(TaskResult r) {
    for (BlockLocation location : r.blocks()) {
      blocks.remove(location.block());
    }
    if (r.state() != null) {
      blocks.remove(r.state().block());
    }
    if (r.late() != null) {
      blocks.remove(r.late().block());
    }
  }

  /**
   * Writes local block {@code block} durably to the checkpoint file {@code file} on this worker's
   * checkpoint thread. Takes a zero-copy share of the block before returning, so removing the
   * block meanwhile does not affect the write. The future completes once the file is durable.
   *
   * @throws IllegalStateException when this worker does not hold the block
   */
  public CompletableFuture<Void> checkpoint(BlockId block, Path file) {
    ColumnBatch shared = read(block, allocator);
    try {
      return CompletableFuture.runAsync(() -> {
        try (shared) {
          CheckpointFile.write(file, shared);
        }
      }, checkpointWriter);
    } catch (RejectedExecutionException e) {
      shared.close();
      return CompletableFuture.failedFuture(new IllegalStateException("worker " + id + " is closed", e));
    }
  }

  /**
   * Loads the checkpoint file {@code file}, a batch of row type {@code rowType}, into this
   * worker's block store as {@code block}; blocks on the read.
   */
  public BlockLocation restore(BlockId block, RowType rowType, Path file) {
    blocks.put(block, CheckpointFile.read(file, rowType, allocator));
    return new BlockLocation(id, block);
  }

  /** Puts a zero-copy share of {@code batch} into this worker's block store as {@code block}. */
  public void store(BlockId block, ColumnBatch batch) {
    blocks.put(block, Gather.share(batch, allocator));
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
    for (Runnable queued : slots.shutdownNow()) {
      ((Launched) queued).end(null, new CancellationException("worker " + id + " closed"));
    }
    // Checkpoint writes already queued finish: each holds a share of a block until it is written.
    checkpointWriter.shutdown();
    try {
      slots.awaitTermination(10, TimeUnit.SECONDS);
      checkpointWriter.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (InstalledQuery q : queries.values()) {
      q.close();
    }
    queries.clear();
    blocks.close();
    allocator.close();
  }
}
