package io.dstream.executor.checkpoint;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.block.BlockLocation;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of one query's checkpoints. After every {@code everyBatches} batches it asks
 * the workers holding the query's state partitions to write them (asynchronously, while later
 * batches run); once every partition of that batch is durable it marks the checkpoint complete,
 * and the query may then drop the lineage up to it. Checkpoints older than the newest complete
 * one are deleted. At most one checkpoint is in flight: a due checkpoint waits for the previous
 * one to end.
 *
 * <p>Threading: {@link #afterBatch} is called by the query's job thread only (it also deletes
 * old checkpoints there, so that a recovery on that thread never reads a checkpoint being
 * deleted); completions are handled on the coordinator's own thread; the accessors are
 * thread-safe.
 */
public final class CheckpointCoordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);
  private static final long CLOSE_WAIT_MILLIS = 30_000;

  /** How a state partition reaches a checkpoint file: through the worker holding it. */
  @FunctionalInterface
  public interface StateWriter {
    /**
     * Has the worker holding {@code state} write it durably to {@code file}. Must take what it
     * needs of the block before returning (the block may be removed right after); the future
     * completes once the file is durable, or fails.
     */
    CompletableFuture<Void> write(BlockLocation state, Path file);
  }

  private final String query;
  private final CheckpointConfig config;
  private final CheckpointStore store;
  private final StateWriter writer;
  private final Executor completions;
  private final ExecutorService ownedCompletions;

  private long lastStarted = -1;
  private long deletedBelow = -1;
  private long checkpointed = -1;
  private long failures;
  private CompletableFuture<Void> inFlight;
  private boolean closed;

  /**
   * A coordinator for {@code query}. A query starts from scratch, so earlier checkpoints of a
   * query with the same id are deleted.
   */
  public CheckpointCoordinator(String query, CheckpointConfig config, StateWriter writer) {
    this(query, config, writer, null, -1);
  }

  /** A coordinator that handles completions on {@code completions} (tests: a direct executor). */
  CheckpointCoordinator(String query, CheckpointConfig config, StateWriter writer, Executor completions) {
    this(query, config, writer, completions, -1);
  }

  /**
   * A coordinator for {@code query} resumed in a new driver after batch {@code lastBatch}: its
   * checkpoints are kept, and the newest complete one at or before that batch (if any) is the
   * one {@link #checkpointedBatch} reports and recovery reads. Later checkpoint directories (an
   * unfinished one cut short by the stop) are deleted, so they can be rewritten safely.
   */
  public static CheckpointCoordinator resume(String query, CheckpointConfig config, StateWriter writer,
      long lastBatch) {
    if (lastBatch < 0) {
      throw new IllegalArgumentException("lastBatch must not be negative, was " + lastBatch);
    }
    return new CheckpointCoordinator(query, config, writer, null, lastBatch);
  }

  private CheckpointCoordinator(String query, CheckpointConfig config, StateWriter writer, Executor completions,
      long resumeAfter) {
    this.query = requireNonNull(query, "query is null");
    this.config = requireNonNull(config, "config is null");
    this.writer = requireNonNull(writer, "writer is null");
    this.store = new CheckpointStore(config.directory());
    if (resumeAfter < 0) {
      store.deleteQuery(query);
    } else {
      long latest = -1;
      for (long batch : store.batches(query)) {
        if (batch <= resumeAfter && store.isComplete(query, batch)) {
          latest = batch;
        }
      }
      store.deleteNewerThan(query, latest);
      this.checkpointed = latest;
      this.lastStarted = latest;
    }
    if (completions == null) {
      this.ownedCompletions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dstream-checkpoint-" + query);
        t.setDaemon(true);
        return t;
      });
      this.completions = ownedCompletions;
    } else {
      this.ownedCompletions = null;
      this.completions = completions;
    }
  }

  public CheckpointConfig config() {
    return config;
  }

  public CheckpointStore store() {
    return store;
  }

  /**
   * Called after batch {@code batch} completed, with the location of every state partition
   * after it: deletes checkpoints older than the newest complete one, then starts a checkpoint
   * of this batch when one is due and none is in flight. Never blocks on the writes.
   *
   * @return whether a checkpoint of {@code batch} started
   */
  public boolean afterBatch(long batch, List<BlockLocation> state) {
    requireNonNull(state, "state is null");
    deleteOld();
    CompletableFuture<Void> all;
    synchronized (this) {
      if (closed || batch - lastStarted < config.everyBatches() || inFlight != null) {
        return false;
      }
      for (BlockLocation location : state) {
        if (location == null) {
          return false;
        }
      }
      lastStarted = batch;
      List<CompletableFuture<Void>> writes = new ArrayList<>(state.size());
      for (int p = 0; p < state.size(); p++) {
        writes.add(write(state.get(p), store.partitionFile(query, batch, p)));
      }
      all = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
      inFlight = all;
    }
    long startNanos = System.nanoTime();
    all.whenCompleteAsync((ignored, error) -> finish(batch, error, startNanos), completions);
    return true;
  }

  /** The newest batch whose checkpoint is complete, or -1 when there is none yet. */
  public synchronized long checkpointedBatch() {
    return checkpointed;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Checkpoints that failed (a worker lost, a disk error) and were abandoned. */
  public synchronized long failedCheckpoints() {
    return failures;
  }

  /** The file of state partition {@code partition} in the checkpoint of {@code batch}. */
  public Path partitionFile(long batch, int partition) {
    return store.partitionFile(query, batch, partition);
  }

  /** Blocks until the checkpoint of {@code batch} or a later one is complete; false on timeout. */
  public synchronized boolean awaitCheckpointed(long batch, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (checkpointed < batch && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return checkpointed >= batch;
  }

  private CompletableFuture<Void> write(BlockLocation state, Path file) {
    try {
      return requireNonNull(writer.write(state, file), "writer returned null");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void finish(long batch, Throwable error, long startNanos) {
    Throwable failure = error;
    synchronized (this) {
      if (closed) {
        inFlight = null;
        return;
      }
    }
    if (failure == null) {
      try {
        store.markComplete(query, batch);
      } catch (UncheckedIOException e) {
        failure = e;
      }
    }
    synchronized (this) {
      inFlight = null;
      if (failure == null) {
        checkpointed = Math.max(checkpointed, batch);
        notifyAll();
      } else {
        failures++;
      }
    }
    if (failure == null) {
      LOG.info("Query {}: checkpoint of batch {} written in {} ms", query, batch,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    } else {
      LOG.warn("Query {}: checkpoint of batch {} failed and is abandoned: {}", query, batch, failure.toString());
    }
  }

  private void deleteOld() {
    long complete = checkpointedBatch();
    if (complete <= deletedBelow) {
      return;
    }
    try {
      store.deleteOlderThan(query, complete);
      deletedBelow = complete;
    } catch (UncheckedIOException e) {
      LOG.warn("Query {}: cannot delete checkpoints older than batch {}: {}", query, complete, e.toString());
    }
  }

  /**
   * Stops checkpointing: a checkpoint in flight is no longer marked complete, but its writes are
   * awaited (up to {@value #CLOSE_WAIT_MILLIS} ms), since each holds a share of a state block
   * until it is written. Called by the query's job thread when the query ends.
   */
  @Override
  public void close() {
    CompletableFuture<Void> pending;
    synchronized (this) {
      closed = true;
      pending = inFlight;
      notifyAll();
    }
    if (pending != null) {
      awaitQuietly(pending);
    }
    if (ownedCompletions != null) {
      ownedCompletions.shutdownNow();
    }
  }

  /** Waits for {@code writes} to end however they end, keeping an interrupt for the caller. */
  private void awaitQuietly(CompletableFuture<Void> writes) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          writes.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return;
        } catch (TimeoutException e) {
          LOG.warn("Query {}: a checkpoint was still being written {} ms after the query ended", query,
              CLOSE_WAIT_MILLIS);
          return;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
