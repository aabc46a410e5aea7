package io.dstream.executor.checkpoint;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.batch;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static io.dstream.executor.kernel.TestBatches.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.type.RowType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCoordinatorTest {
  private static final RowType STATE = rowType("key", BIGINT, "count", BIGINT);
  private static final int PARTITIONS = 2;

  @TempDir
  Path dir;

  private final BufferAllocator allocator = new RootAllocator();
  private final FakeWorkers workers = new FakeWorkers();
  private final List<CheckpointCoordinator> coordinators = new ArrayList<>();

  @AfterEach
  void close() {
    workers.abandonAll();
    coordinators.forEach(CheckpointCoordinator::close);
    workers.close();
    allocator.close();
  }

  /** A coordinator whose completions run on the thread that completes the last write. */
  private CheckpointCoordinator coordinator(int everyBatches) {
    CheckpointCoordinator c = new CheckpointCoordinator("q", new CheckpointConfig(dir, everyBatches), workers,
        Runnable::run);
    coordinators.add(c);
    return c;
  }

  /** State partitions after {@code batch}: partition p holds the row (p, batch). */
  private List<BlockLocation> stateAfter(long batch) {
    List<BlockLocation> state = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      BlockLocation location = new BlockLocation("w" + p, new BlockId("q", batch, BlockId.Kind.STATE, p, 0));
      workers.blocks.put(location, batch(allocator, STATE, List.of(row((long) p, batch))));
      state.add(location);
    }
    return state;
  }

  @Test
  void checkpointsEveryNBatchesAndIsCompleteOnlyWhenEveryPartitionIsDurable() throws Exception {
    CheckpointCoordinator c = coordinator(2);
    assertThat(c.afterBatch(0, stateAfter(0))).isFalse();
    assertThat(workers.pending).isEmpty();

    assertThat(c.afterBatch(1, stateAfter(1))).isTrue();
    assertThat(workers.pending).hasSize(PARTITIONS);
    assertThat(workers.pending.get(1).file).isEqualTo(dir.resolve("q/batch-1/part-1.arrow"));

    workers.finish(0);
    assertThat(c.checkpointedBatch()).isEqualTo(-1);
    assertThat(dir.resolve("q/batch-1/_COMPLETE")).doesNotExist();
    workers.finish(0);
    assertThat(c.awaitCheckpointed(1, 1000)).isTrue();
    assertThat(dir.resolve("q/batch-1/_COMPLETE")).isRegularFile();
    assertThat(c.store().latestComplete("q")).hasValue(1);
    try (ColumnBatch p1 = c.store().read("q", 1, 1, STATE, allocator)) {
      assertThat(rows(p1)).containsExactly(row(1L, 1L));
    }

    assertThat(c.afterBatch(2, stateAfter(2))).isFalse();
    assertThat(c.afterBatch(3, stateAfter(3))).isTrue();
  }

  @Test
  void aDueCheckpointWaitsForTheOneInFlight() {
    CheckpointCoordinator c = coordinator(1);
    assertThat(c.afterBatch(0, stateAfter(0))).isTrue();
    assertThat(c.afterBatch(1, stateAfter(1))).isFalse();
    workers.finishAll();
    assertThat(c.checkpointedBatch()).isZero();
    assertThat(c.afterBatch(2, stateAfter(2))).isTrue();
    assertThat(workers.pending).extracting(w -> w.state.block().batch()).containsOnly(2L);
  }

  @Test
  void aFailedWriteAbandonsTheCheckpointAndTheNextOneStillRuns() {
    CheckpointCoordinator c = coordinator(1);
    assertThat(c.afterBatch(0, stateAfter(0))).isTrue();
    workers.finish(0);
    workers.pending.remove(0).result.completeExceptionally(new IllegalStateException("worker w1 lost"));

    assertThat(c.checkpointedBatch()).isEqualTo(-1);
    assertThat(c.failedCheckpoints()).isEqualTo(1);
    assertThat(dir.resolve("q/batch-0/_COMPLETE")).doesNotExist();

    assertThat(c.afterBatch(1, stateAfter(1))).isTrue();
    workers.finishAll();
    assertThat(c.checkpointedBatch()).isEqualTo(1);
    c.afterBatch(2, stateAfter(2));
    assertThat(dir.resolve("q/batch-0")).doesNotExist();
  }

  @Test
  void aWriterThatThrowsFailsTheCheckpoint() {
    CheckpointCoordinator c = new CheckpointCoordinator("q", new CheckpointConfig(dir, 1), (state, file) -> {
      throw new IllegalStateException("no such worker " + state.worker());
    }, Runnable::run);
    coordinators.add(c);
    assertThat(c.afterBatch(0, stateAfter(0))).isTrue();
    assertThat(c.failedCheckpoints()).isEqualTo(1);
    assertThat(c.checkpointedBatch()).isEqualTo(-1);
  }

  @Test
  void deletesCheckpointsOlderThanTheNewestCompleteOne() {
    CheckpointCoordinator c = coordinator(1);
    c.afterBatch(0, stateAfter(0));
    workers.finishAll();
    c.afterBatch(1, stateAfter(1));
    assertThat(dir.resolve("q/batch-0/_COMPLETE")).isRegularFile();
    workers.finishAll();

    c.afterBatch(2, stateAfter(2));
    assertThat(dir.resolve("q/batch-0")).doesNotExist();
    workers.finishAll();
    assertThat(c.store().batches("q")).containsExactly(1L, 2L);
    c.afterBatch(3, stateAfter(3));
    assertThat(c.store().batches("q")).containsExactly(2L);
    workers.finishAll();
    assertThat(c.store().batches("q")).containsExactly(2L, 3L);
    assertThat(c.store().latestComplete("q")).hasValue(3);
  }

  @Test
  void aQueryStartsWithoutTheCheckpointsOfAnEarlierQueryWithTheSameId() throws IOException {
    Files.createDirectories(dir.resolve("q/batch-9"));
    Files.writeString(dir.resolve("q/batch-9/_COMPLETE"), "");
    Files.createDirectories(dir.resolve("other/batch-9"));
    CheckpointCoordinator c = coordinator(1);
    assertThat(c.store().latestComplete("q")).isEmpty();
    assertThat(c.checkpointedBatch()).isEqualTo(-1);
    assertThat(dir.resolve("other/batch-9")).isDirectory();
  }

  @Test
  void noCheckpointWhileAStatePartitionIsMissing() {
    CheckpointCoordinator c = coordinator(1);
    List<BlockLocation> state = new ArrayList<>(stateAfter(0));
    state.set(1, null);
    assertThat(c.afterBatch(0, state)).isFalse();
    assertThat(workers.pending).isEmpty();
  }

  @Test
  void closeAwaitsTheWritesInFlightButMarksNothingComplete() throws Exception {
    CheckpointCoordinator c = coordinator(1);
    c.afterBatch(0, stateAfter(0));
    Thread writer = new Thread(() -> {
      while (!c.isClosed()) {
        Thread.onSpinWait();
      }
      workers.finishAll();
    });
    writer.start();
    c.close();
    assertThat(workers.pending).isEmpty();
    writer.join();

    assertThat(dir.resolve("q/batch-0/part-0.arrow")).isRegularFile();
    assertThat(dir.resolve("q/batch-0/_COMPLETE")).doesNotExist();
    assertThat(c.checkpointedBatch()).isEqualTo(-1);
    assertThat(c.afterBatch(1, stateAfter(1))).isFalse();
    assertThat(c.awaitCheckpointed(0, 1000)).isFalse();
  }

  /** Workers whose checkpoint writes finish when the test says so. */
  private static final class FakeWorkers implements CheckpointCoordinator.StateWriter, AutoCloseable {
    final Map<BlockLocation, ColumnBatch> blocks = new HashMap<>();
    final List<PendingWrite> pending = java.util.Collections.synchronizedList(new ArrayList<>());

    record PendingWrite(BlockLocation state, Path file, CompletableFuture<Void> result) {}

    @Override
    public CompletableFuture<Void> write(BlockLocation state, Path file) {
      PendingWrite write = new PendingWrite(state, file, new CompletableFuture<>());
      pending.add(write);
      return write.result;
    }

    /** Writes the pending write at {@code index} and reports it durable. */
    void finish(int index) {
      PendingWrite write = pending.remove(index);
      CheckpointFile.write(write.file, blocks.get(write.state));
      write.result.complete(null);
    }

    /** Fails every pending write, as a lost worker would. */
    void abandonAll() {
      while (!pending.isEmpty()) {
        pending.remove(0).result.completeExceptionally(new IllegalStateException("worker lost"));
      }
    }

    void finishAll() {
      while (!pending.isEmpty()) {
        finish(0);
      }
    }

    @Override
    public void close() {
      blocks.values().forEach(ColumnBatch::close);
    }
  }
}
