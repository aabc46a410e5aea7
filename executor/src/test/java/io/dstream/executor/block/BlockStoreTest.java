package io.dstream.executor.block;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.VARCHAR;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.type.RowType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockStoreTest {
  private static final RowType TYPE = rowType("id", BIGINT, "name", VARCHAR);

  private final BufferAllocator allocator = new RootAllocator();
  private final BlockStore store = new BlockStore();

  @AfterEach
  void closeAllocator() {
    store.close();
    allocator.close();
  }

  private ColumnBatch block(long id, String name) {
    return batch(allocator, TYPE, List.of(row(id, name)));
  }

  private static BlockId id(String query, long batch, BlockId.Kind kind, int partition) {
    return new BlockId(query, batch, kind, partition, 0);
  }

  @Test
  void putTakesOwnershipAndCloseFreesEverything() {
    store.put(id("q", 0, BlockId.Kind.OUTPUT, 0), block(1, "one"));
    store.put(id("q", 0, BlockId.Kind.STATE, 0), block(2, "two"));
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.sizeInBytes()).isPositive();
    assertThat(allocator.getAllocatedMemory()).isPositive();
    store.close();
    assertThat(store.size()).isZero();
    assertThat(allocator.getAllocatedMemory()).isZero();
  }

  @Test
  void duplicatePutKeepsTheFirstBlockAndFreesTheSecond() {
    BlockId id = id("q", 3, BlockId.Kind.SHUFFLE, 1);
    store.put(id, block(1, "first"));
    long afterFirst = allocator.getAllocatedMemory();
    store.put(id, block(2, "second"));
    assertThat(allocator.getAllocatedMemory()).isEqualTo(afterFirst);
    assertThat(store.size()).isEqualTo(1);
    assertThat(rows(store.get(id))).containsExactly(row(1L, "first"));
  }

  @Test
  void removeFreesTheBlockAndIgnoresUnknownIds() {
    BlockId kept = id("q", 0, BlockId.Kind.OUTPUT, 0);
    BlockId removed = id("q", 0, BlockId.Kind.OUTPUT, 1);
    store.put(kept, block(1, "kept"));
    long one = allocator.getAllocatedMemory();
    store.put(removed, block(2, "removed"));
    store.remove(removed);
    store.remove(removed);
    store.remove(id("other", 0, BlockId.Kind.OUTPUT, 0));
    assertThat(store.get(removed)).isNull();
    assertThat(store.size()).isEqualTo(1);
    assertThat(allocator.getAllocatedMemory()).isEqualTo(one);
    assertThat(rows(store.get(kept))).containsExactly(row(1L, "kept"));
  }

  @Test
  void removeIfDropsTheMatchingQuerysBlocks() {
    store.put(id("a", 0, BlockId.Kind.OUTPUT, 0), block(1, "a0"));
    store.put(id("a", 1, BlockId.Kind.STATE, 0), block(2, "a1"));
    store.put(id("b", 0, BlockId.Kind.OUTPUT, 0), block(3, "b0"));
    store.removeIf(b -> b.query().equals("a"));
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.get(id("b", 0, BlockId.Kind.OUTPUT, 0))).isNotNull();
  }

  @Test
  void blockIdsNameTheirDataset() {
    assertThat(new BlockId("q", 7, BlockId.Kind.SHUFFLE, 2, 3)).hasToString("q/7/shuffle/2/3");
    assertThat(new BlockId("q", 7, BlockId.Kind.STATE, 2, 0)).hasToString("q/7/state/2");
  }
}
