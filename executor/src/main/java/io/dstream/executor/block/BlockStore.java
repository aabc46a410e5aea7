package io.dstream.executor.block;

import io.dstream.executor.batch.ColumnBatch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A worker's blocks: each an immutable Arrow batch under a {@link BlockId}. The store owns the
 * batches it holds. Blocks are only removed once no task can read them (the driver removes a
 * batch's blocks after the batch completes), so a reader may use a block it got without a copy
 * while its batch runs. Thread-safe.
 */
public final class BlockStore implements AutoCloseable {
  private final Map<BlockId, ColumnBatch> blocks = new ConcurrentHashMap<>();

  /** Takes ownership of {@code batch}. A block computed twice keeps its first copy. */
  public void put(BlockId id, ColumnBatch batch) {
    ColumnBatch previous = blocks.putIfAbsent(id, batch);
    if (previous != null) {
      batch.close();
    }
  }

  /** The block, still owned by the store, or null when this store does not hold it. */
  public ColumnBatch get(BlockId id) {
    return blocks.get(id);
  }

  public void remove(BlockId id) {
    ColumnBatch batch = blocks.remove(id);
    if (batch != null) {
      batch.close();
    }
  }

  public void removeIf(Predicate<BlockId> predicate) {
    for (BlockId id : blocks.keySet()) {
      if (predicate.test(id)) {
        remove(id);
      }
    }
  }

  public int size() {
    return blocks.size();
  }

  public long sizeInBytes() {
    long total = 0;
    for (ColumnBatch b : blocks.values()) {
      total += b.sizeInBytes();
    }
    return total;
  }

  @Override
  public void close() {
    removeIf(id -> true);
  }
}
