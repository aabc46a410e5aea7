package io.dstream.executor.transport;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.Source;
import io.dstream.executor.type.RowType;
import io.dstream.executor.source.SourceDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.BufferAllocator;

/**
 * How the driver reaches workers: install a query, launch tasks, read and drop blocks. The
 * in-process transport calls workers directly; a network transport implements the same calls
 * over framed messages and Arrow IPC. Thread-safe.
 */
public interface Transport extends AutoCloseable {
  /** The live workers, in a stable order. */
  List<String> workers();

  /** Task slots over all live workers: the parallelism of a query started now (at least 1). */
  int parallelism();

  /**
   * Installs a query on every worker. In-process workers share the driver's {@code source};
   * remote workers create their own reader from {@code descriptor} (null when the source
   * cannot be read remotely).
   */
  void install(QueryDag dag, Source source, SourceDescriptor descriptor);

  /**
   * Installs a query with one source (and descriptor, possibly null) per input branch of its
   * DAG, in branch order. The default handles single-input queries only.
   */
  default void install(QueryDag dag, List<Source> sources, List<SourceDescriptor> descriptors) {
    if (sources.size() != 1) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot run queries with "
          + sources.size() + " inputs");
    }
    install(dag, sources.get(0), descriptors.get(0));
  }

  void uninstall(String query);

  CompletableFuture<TaskResult> launch(String worker, Task task);

  /**
   * Tells {@code worker} that its copy of {@code task} is no longer needed (another copy
   * finished first). Best effort and non-blocking: a copy still queued is dropped and its
   * future fails; a copy already running may still finish. The default does nothing.
   */
  default void cancel(String worker, Task task) {}

  /**
   * A copy of a block of row type {@code rowType}, owned by the caller and allocated from
   * {@code allocator}.
   */
  ColumnBatch fetch(BlockLocation location, RowType rowType, BufferAllocator allocator);

  void remove(BlockLocation location);

  /**
   * Stores a copy of {@code batch} (of row type {@code rowType}) in the block store of
   * {@code worker} as {@code id}: how input that cannot be replayed is replicated. The caller
   * keeps ownership of {@code batch}, which is copied or encoded before this returns; the future
   * completes once the worker holds the block, and fails when it is lost. The default fails.
   */
  default CompletableFuture<Void> store(String worker, BlockId id, ColumnBatch batch, RowType rowType) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot store blocks"));
  }

  /**
   * Has the worker holding {@code state} (a block of row type {@code rowType}) write it as a
   * checkpoint file at {@code file}, in the background. The worker takes its own zero-copy share
   * of the block before this returns, so removing the block afterwards does not affect the
   * write; the future completes once the file is durable, and fails when the worker is lost or
   * the write fails. The default fails: the transport cannot checkpoint.
   */
  default CompletableFuture<Void> checkpoint(BlockLocation state, RowType rowType, Path file) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot checkpoint blocks"));
  }

  /**
   * Loads the checkpoint file {@code file} (a batch of row type {@code rowType}) into the block
   * store of {@code worker} as {@code block}; blocks until it is there.
   *
   * @return where the block now is
   * @throws UnsupportedOperationException by default: the transport cannot restore checkpoints
   */
  default BlockLocation restore(String worker, BlockId block, RowType rowType, Path file) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot restore checkpoints");
  }

  @Override
  void close();
}
