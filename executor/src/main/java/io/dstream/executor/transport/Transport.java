package io.dstream.executor.transport;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.Source;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.BufferAllocator;

/**
 * How the driver reaches workers: install a query, launch tasks, read and drop blocks. The
 * in-process transport calls workers directly; a network transport implements the same calls
 * over framed messages and Arrow IPC. Thread-safe.
 */
public interface Transport extends AutoCloseable {
  List<String> workers();

  void install(QueryDag dag, Source source);

  void uninstall(String query);

  CompletableFuture<TaskResult> launch(String worker, Task task);

  /** A copy of a block, owned by the caller and allocated from {@code allocator}. */
  ColumnBatch fetch(BlockLocation location, BufferAllocator allocator);

  void remove(BlockLocation location);

  @Override
  void close();
}
