package io.dstream.executor.cluster;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.source.InputSplit;
import io.dstream.executor.source.MemoryLog;
import io.dstream.executor.transport.Transport;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each append to a non-replayable stream (memory, socket) on two live workers, chosen in
 * rotation, before the append is acknowledged: losing one worker then loses no input. Copies
 * stay until their stream is dropped. Thread-safe; appends block on the network.
 */
public final class InputReplicator implements MemoryLog.Replicator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InputReplicator.class);
  static final int REPLICAS = 2;
  private static final long STORE_TIMEOUT_SECONDS = 30;

  private final Transport transport;
  private final BufferAllocator allocator = new RootAllocator();
  private final AtomicInteger rotation = new AtomicInteger();

  public InputReplicator(Transport transport) {
    this.transport = requireNonNull(transport, "transport is null");
  }

  @Override
  public List<String> replicate(String stream, long sequence, RowType rowType, List<Object[]> rows) {
    List<String> live = transport.workers();
    if (live.size() < REPLICAS) {
      throw notStored(stream, live.size() + " worker(s) are live", null);
    }
    BlockId id = InputSplit.blockId(stream, sequence);
    int first = Math.floorMod(rotation.getAndIncrement(), live.size());
    List<String> candidates = new ArrayList<>(live.subList(first, live.size()));
    candidates.addAll(live.subList(0, first));
    List<String> stored = new ArrayList<>();
    Throwable failure = null;
    try (ColumnBatch batch = build(rowType, rows)) {
      while (stored.size() < REPLICAS && !candidates.isEmpty()) {
        Map<String, CompletableFuture<Void>> pending = new LinkedHashMap<>();
        while (pending.size() < REPLICAS - stored.size() && !candidates.isEmpty()) {
          String worker = candidates.remove(0);
          pending.put(worker, transport.store(worker, id, batch, rowType));
        }
        for (Map.Entry<String, CompletableFuture<Void>> e : pending.entrySet()) {
          try {
            e.getValue().get(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            stored.add(e.getKey());
          } catch (ExecutionException | TimeoutException ex) {
            failure = ex instanceof ExecutionException ? ex.getCause() : ex;
            LOG.warn("Cannot store input block {} on worker {}: {}", id, e.getKey(), failure.toString());
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            remove(id, stored);
            throw new EngineException(ErrorCode.INTERNAL_ERROR, "Interrupted storing input of stream " + stream, ex);
          }
        }
      }
    }
    if (stored.size() < REPLICAS) {
      remove(id, stored);
      throw notStored(stream, "storing a copy failed on all but " + stored.size() + " of " + live.size()
          + " live workers", failure);
    }
    return stored;
  }

  private static EngineException notStored(String stream, String why, Throwable cause) {
    return new EngineException(ErrorCode.RESOURCE_EXHAUSTED, "The rows for stream " + stream
        + " were not accepted: they must be stored on " + REPLICAS + " live workers first, but " + why
        + "; start more workers (./dstream worker --driver HOST:PORT) and retry", cause);
  }

  private ColumnBatch build(RowType rowType, List<Object[]> rows) {
    try (BatchBuilder builder = new BatchBuilder(rowType, allocator, rows.size())) {
      for (Object[] row : rows) {
        for (int c = 0; c < rowType.size(); c++) {
          builder.setValue(c, row[c]);
        }
        builder.endRow();
      }
      return builder.build();
    }
  }

  @Override
  public void release(String stream, List<MemoryLog.InputBlock> blocks) {
    for (MemoryLog.InputBlock block : blocks) {
      remove(InputSplit.blockId(stream, block.sequence()), block.replicas());
    }
  }

  private void remove(BlockId id, List<String> workers) {
    for (String worker : workers) {
      try {
        transport.remove(new BlockLocation(worker, id));
      } catch (RuntimeException e) {
        LOG.debug("Cannot remove input block {} from worker {}: {}", id, worker, e.toString());
      }
    }
  }

  @Override
  public void close() {
    allocator.close();
  }
}
