package io.dstream.executor.scheduler;

import static io.dstream.executor.kernel.TestBatches.dec;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.kernel.TestBatches;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceBatch;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.source.SourceMetrics;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.transport.InProcessTransport;
import io.dstream.executor.transport.Transport;
import io.dstream.executor.type.RowType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A windowed query with checkpoints: files, their cleanup, lineage truncation, recovery. */
class CheckpointDriverTest {
  private static final long INTERVAL = 1000;
  private static final long TIMEOUT = 10_000;
  private static final int BATCHES = 10;

  @TempDir
  Path dir;

  private final List<Driver> drivers = new ArrayList<>();

  @AfterEach
  void closeDrivers() {
    for (Driver driver : drivers) {
      for (QueryExecution q : driver.queries()) {
        driver.stop(q.id());
      }
      assertThat(driver.allocatedBytes()).isZero();
      driver.close();
    }
  }

  private Driver driver(ManualClock clock, CheckpointConfig checkpoints, Set<String> lost) {
    Driver driver = new Driver(root -> new LosingTransport(new InProcessTransport(2, 2, root), lost), INTERVAL, clock,
        SpeculationConfig.disabled(), checkpoints);
    drivers.add(driver);
    return driver;
  }

  /** Runs one more batch: moves the clock and waits for it. */
  private static void runBatch(ManualClock clock, QueryExecution query) throws InterruptedException {
    long next = query.completedBatches() + 1;
    clock.advance(INTERVAL);
    assertThat(query.awaitBatches(next, TIMEOUT)).isTrue();
  }

  /** The committed output of {@link #BATCHES} batches without checkpoints or failures. */
  private Map<Long, List<List<Object>>> referenceOutput() throws InterruptedException {
    return referenceOutput(WindowedPlans.bidsPerAuction(true));
  }

  private Map<Long, List<List<Object>>> referenceOutput(PlanNode plan) throws InterruptedException {
    ManualClock clock = new ManualClock(0);
    CollectingSink sink = new CollectingSink();
    QueryExecution query = driver(clock, null, Set.of())
        .start("reference", "SELECT ...", plan, new BidSource(), sink);
    while (query.completedBatches() < BATCHES) {
      runBatch(clock, query);
    }
    assertThat(query.checkpointedBatch()).isEqualTo(-1);
    assertThat(sink.committed).isNotEmpty();
    return new TreeMap<>(sink.committed);
  }

  @Test
  void checkpointsEveryTwoBatchesDeletesOlderOnesAndTruncatesLineage() throws Exception {
    Map<Long, List<List<Object>>> expected = referenceOutput();
    ManualClock clock = new ManualClock(0);
    CollectingSink sink = new CollectingSink();
    QueryExecution query = driver(clock, new CheckpointConfig(dir, 2), Set.of())
        .start("q", "SELECT ...", WindowedPlans.bidsPerAuction(true), new BidSource(), sink);
    int partitions = query.dag().partitions();

    runBatch(clock, query);
    assertThat(query.lineageLength()).isEqualTo(1);
    runBatch(clock, query);
    assertThat(query.awaitCheckpoint(1, TIMEOUT)).isTrue();
    for (int p = 0; p < partitions; p++) {
      assertThat(dir.resolve("q/batch-1/part-" + p + ".arrow")).isRegularFile();
    }
    assertThat(dir.resolve("q/batch-1/_COMPLETE")).isRegularFile();

    runBatch(clock, query);
    // batch 2 saw the checkpoint of batch 1: only batch 2 is left to replay
    assertThat(query.lineageLength()).isEqualTo(1);
    runBatch(clock, query);
    assertThat(query.awaitCheckpoint(3, TIMEOUT)).isTrue();
    assertThat(dir.resolve("q/batch-3/_COMPLETE")).isRegularFile();
    runBatch(clock, query);
    assertThat(dir.resolve("q/batch-1")).doesNotExist();
    assertThat(dir.resolve("q/batch-3/_COMPLETE")).isRegularFile();
    assertThat(query.lineageLength()).isEqualTo(1);

    while (query.completedBatches() < BATCHES) {
      runBatch(clock, query);
      if (query.completedBatches() % 2 == 0) {
        assertThat(query.awaitCheckpoint(query.completedBatches() - 1, TIMEOUT)).isTrue();
      }
      assertThat(query.lineageLength()).isLessThanOrEqualTo(2);
    }
    assertThat(query.checkpointedBatch()).isEqualTo(BATCHES - 1);
    assertThat(query.recoveredBatches()).isZero();
    assertThat(new TreeMap<>(sink.committed)).isEqualTo(expected);
  }

  @Test
  void mapOnlyQueriesDoNotCheckpoint() throws Exception {
    ManualClock clock = new ManualClock(0);
    CollectingSink sink = new CollectingSink();
    QueryExecution query = driver(clock, new CheckpointConfig(dir, 1), Set.of())
        .start("m", "SELECT ...", WindowedPlans.scan(), new BidSource(), sink);
    for (int b = 0; b < 3; b++) {
      runBatch(clock, query);
    }
    assertThat(query.checkpointedBatch()).isEqualTo(-1);
    assertThat(query.lineageLength()).isZero();
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void lostStateIsRestoredFromTheCheckpointAndOnlyLaterBatchesAreReplayed() throws Exception {
    Map<Long, List<List<Object>>> expected = referenceOutput();
    ManualClock clock = new ManualClock(0);
    CollectingSink sink = new CollectingSink();
    Set<String> lost = ConcurrentHashMap.newKeySet();
    QueryExecution query = driver(clock, new CheckpointConfig(dir, 2), lost)
        .start("q", "SELECT ...", WindowedPlans.bidsPerAuction(true), new BidSource(), sink);
    for (int b = 0; b < 5; b++) {
      runBatch(clock, query);
      if (b % 2 == 1) {
        assertThat(query.awaitCheckpoint(b, TIMEOUT)).isTrue();
      }
    }
    // state after batch 4 = checkpoint of batch 3 + lineage of batch 4
    assertThat(query.checkpointedBatch()).isEqualTo(3);
    assertThat(query.lineageLength()).isEqualTo(1);

    lost.add("w1");
    while (query.completedBatches() < BATCHES) {
      runBatch(clock, query);
    }
    assertThat(query.recoveredBatches()).isEqualTo(1);
    assertThat(new TreeMap<>(sink.committed)).isEqualTo(expected);
  }

  @Test
  void processingTimeWindowsWithDistinctStateAreRecomputedFromLineageWithTheirBatchTimes() throws Exception {
    PlanNode plan = WindowedPlans.distinctPricesPerProcessingTimeWindow();
    Map<Long, List<List<Object>>> expected = referenceOutput(plan);
    // windows of 2 s close every other batch, in the batch at their end
    assertThat(expected).containsOnlyKeys(1L, 3L, 5L, 7L, 9L);
    assertThat(expected.get(1L)).contains(List.of(1L, 0L, 3L, 2L));
    ManualClock clock = new ManualClock(0);
    CollectingSink sink = new CollectingSink();
    Set<String> lost = ConcurrentHashMap.newKeySet();
    QueryExecution query = driver(clock, new CheckpointConfig(dir, 2), lost)
        .start("q", "SELECT ...", plan, new BidSource(), sink);
    for (int b = 0; b < 5; b++) {
      runBatch(clock, query);
      if (b % 2 == 1) {
        assertThat(query.awaitCheckpoint(b, TIMEOUT)).isTrue();
      }
    }
    // w0 holds the state of the groups of window [4 s, 6 s): batch 4 is replayed with its
    // processing time, or these windows would miss its rows
    lost.add("w0");
    while (query.completedBatches() < BATCHES) {
      runBatch(clock, query);
    }
    assertThat(query.recoveredBatches()).isEqualTo(1);
    assertThat(new TreeMap<>(sink.committed)).isEqualTo(expected);
  }

  /** Four bids per batch over three auctions, event time two seconds further each batch. */
  private static final class BidSource implements Source {
    @Override
    public RowType rowType() {
      return WindowedPlans.BIDS;
    }

    @Override
    public SourceBatch planBatch(long batchId, long batchTime, int parallelism) {
      String path = Long.toString(batchId);
      return new SourceBatch(List.of(new SourceSplit(path, 0, 2), new SourceSplit(path, 2, 4)), false);
    }

    @Override
    public ColumnBatch read(SourceSplit split, BufferAllocator allocator, SourceMetrics metrics) {
      long batch = Long.parseLong(split.path());
      RowType type = rowType();
      try (BatchBuilder builder = new BatchBuilder(type, allocator)) {
        for (long i = split.start(); i < split.end(); i++) {
          Object[] row = {(batch + i) % 3 + 1, dec((batch % 5 + i) + ".25"), batch * 2000 + i * 400};
          for (int c = 0; c < type.size(); c++) {
            builder.setValue(c, TestBatches.physical(row[c], type.type(c)));
          }
          builder.endRow();
        }
        return builder.build();
      }
    }

    @Override
    public void close() {}
  }

  /** Keeps the rows of each committed batch. */
  private static final class CollectingSink implements Sink {
    final Map<Long, List<List<Object>>> committed = new ConcurrentHashMap<>();

    @Override
    public void commit(long batchId, ColumnBatch rows) {
      assertThat(committed.put(batchId, TestBatches.rows(rows))).as("batch %s committed twice", batchId).isNull();
    }

    @Override
    public void finish() {}

    @Override
    public void fail(Throwable cause) {}

    @Override
    public void close() {}
  }

  /**
   * In-process workers, some of which the test declares lost: the driver no longer sees them,
   * and whatever it asks of them fails as a lost worker would. Their memory is still released
   * when the query is uninstalled and the transport closed.
   */
  private static final class LosingTransport implements Transport {
    private final InProcessTransport delegate;
    private final Set<String> lost;

    LosingTransport(InProcessTransport delegate, Set<String> lost) {
      this.delegate = delegate;
      this.lost = lost;
    }

    private EngineException lost(String worker) {
      return new EngineException(ErrorCode.WORKER_LOST, "Worker " + worker + " is lost");
    }

    @Override
    public List<String> workers() {
      return delegate.workers().stream().filter(w -> !lost.contains(w)).toList();
    }

    @Override
    public int parallelism() {
      return delegate.parallelism();
    }

    @Override
    public void install(QueryDag dag, Source source, SourceDescriptor descriptor) {
      delegate.install(dag, source, descriptor);
    }

    @Override
    public void uninstall(String query) {
      delegate.uninstall(query);
    }

    @Override
    public CompletableFuture<TaskResult> launch(String worker, Task task) {
      return lost.contains(worker) ? CompletableFuture.failedFuture(lost(worker)) : delegate.launch(worker, task);
    }

    @Override
    public ColumnBatch fetch(BlockLocation location, RowType rowType, BufferAllocator allocator) {
      if (lost.contains(location.worker())) {
        throw lost(location.worker());
      }
      return delegate.fetch(location, rowType, allocator);
    }

    @Override
    public void remove(BlockLocation location) {
      delegate.remove(location);
    }

    @Override
    public CompletableFuture<Void> checkpoint(BlockLocation state, RowType rowType, Path file) {
      return lost.contains(state.worker()) ? CompletableFuture.failedFuture(lost(state.worker()))
          : delegate.checkpoint(state, rowType, file);
    }

    @Override
    public BlockLocation restore(String worker, BlockId block, RowType rowType, Path file) {
      if (lost.contains(worker)) {
        throw lost(worker);
      }
      return delegate.restore(worker, block, rowType, file);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
