package io.dstream.executor.scheduler;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.BOOLEAN;
import static io.dstream.executor.kernel.TestBatches.dec;
import static io.dstream.executor.kernel.TestBatches.row;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;

import io.dstream.executor.batch.BatchBuilder;
import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.kernel.TestBatches;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceBatch;
import io.dstream.executor.source.SourceMetrics;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.time.ManualClock;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DriverTest {
  private static final long INTERVAL = 1000;
  private static final long TIMEOUT = 10_000;

  /** Bids per batch: (auction, price, event time); see {@link WindowedPlans#bidsPerAuction}. */
  private static final List<List<Object[]>> SCRIPT = List.of(
      List.of(bid(1, "1.00", 1000), bid(2, "2.00", 2000), bid(1, "3.00", 5000)),
      List.of(bid(1, "4.00", 12_000), bid(2, "5.00", 9000)),
      List.of(bid(1, "6.00", 3000), bid(2, "1.00", 25_000)),
      List.of());

  private final ManualClock clock = new ManualClock(0);
  // The driver's root allocator is closed by driver.close(), which throws if anything leaked.
  private final Driver driver = new Driver(2, 2, INTERVAL, clock);
  private final CollectingSink sink = new CollectingSink();

  @AfterEach
  void closeDriver() {
    for (QueryExecution q : driver.queries()) {
      driver.stop(q.id());
    }
    assertThat(driver.allocatedBytes()).isZero();
    driver.close();
  }

  private static Object[] bid(long auction, String price, long ts) {
    return new Object[] {auction, dec(price), ts};
  }

  /** Moves the clock one interval at a time until {@code total} batches completed. */
  private void runBatches(QueryExecution query, long total) throws InterruptedException {
    while (query.completedBatches() < total) {
      // Read the count before moving the clock: the batch may complete before the wait starts.
      long done = query.completedBatches();
      clock.advance(INTERVAL);
      assertThat(query.awaitBatches(done + 1, TIMEOUT)).isTrue();
    }
  }

  @Test
  void windowedAggregationEmitsEachWindowOnceTheWatermarkPassesItsEnd() throws Exception {
    ScriptedSource source = new ScriptedSource(SCRIPT, false);
    QueryExecution query = driver.start("q", "SELECT ...", WindowedPlans.bidsPerAuction(true), source, sink);
    runBatches(query, 4);

    assertThat(query.state()).isEqualTo(QueryState.RUNNING);
    assertThat(sink.committed).doesNotContainKeys(0L, 3L);
    // watermark 11 s after batch 1 closes [0 s, 10 s)
    assertThat(sink.committed.get(1L)).containsExactlyInAnyOrder(
        row(1L, 0L, 10_000L, 2L, dec("4.00")),
        row(2L, 0L, 10_000L, 2L, dec("7.00")));
    // the bid at 3 s in batch 2 is older than the watermark (11 s) and dropped
    assertThat(sink.committed.get(2L)).containsExactly(row(1L, 10_000L, 20_000L, 1L, dec("4.00")));
    assertThat(sink.commits).hasValue(2);
    assertThat(query.inputRows()).isEqualTo(7);
    assertThat(query.lateRows()).isEqualTo(1);
    assertThat(query.outputRows()).isEqualTo(3);
    assertThat(query.watermark()).isEqualTo(24_000);
    assertThat(query.recentBatches()).extracting(BatchStats::watermark)
        .containsExactly(4000L, 11_000L, 24_000L, 24_000L);
    assertThat(query.recentBatches()).extracting(BatchStats::batchTime)
        .containsExactly(1000L, 2000L, 3000L, 4000L);

    assertThat(driver.stop("q")).isTrue();
    assertThat(query.state()).isEqualTo(QueryState.STOPPED);
    assertThat(sink.closed).isTrue();
    assertThat(sink.finished).isFalse();
    assertThat(source.closed).isTrue();
    assertThat(driver.stop("q")).isFalse();
  }

  @Test
  void boundedSourceFlushesAllWindowsAndFinishes() throws Exception {
    ScriptedSource source = new ScriptedSource(SCRIPT, true);
    QueryExecution query = driver.start("q", "SELECT ...", WindowedPlans.bidsPerAuction(true), source, sink);
    runBatches(query, 4);
    assertThat(query.awaitTermination(TIMEOUT)).isTrue();

    assertThat(query.state()).isEqualTo(QueryState.FINISHED);
    assertThat(query.failure()).isNull();
    assertThat(sink.finished).isTrue();
    assertThat(sink.failure).isNull();
    assertThat(sink.committed.get(3L)).containsExactly(row(2L, 20_000L, 30_000L, 1L, dec("1.00")));
    assertThat(sink.committed.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(query.watermark()).isEqualTo(Long.MAX_VALUE);
    assertThat(source.closed).isTrue();
    // no batch runs after the end, however far the clock moves
    clock.advance(10 * INTERVAL);
    assertThat(query.completedBatches()).isEqualTo(4);
    assertThat(driver.allocatedBytes()).isZero();
  }

  @Test
  void failingReadFailsTheQueryAndTellsTheSink() throws Exception {
    ScriptedSource source = new ScriptedSource(SCRIPT, false);
    source.failOnBatch = 1;
    QueryExecution query = driver.start("q", "SELECT ...", WindowedPlans.bidsPerAuction(true), source, sink);
    runBatches(query, 1);
    clock.advance(INTERVAL);
    assertThat(query.awaitTermination(TIMEOUT)).isTrue();

    assertThat(query.state()).isEqualTo(QueryState.FAILED);
    assertThat(query.failure()).isInstanceOf(EngineException.class).hasMessage("cannot read split of batch 1");
    assertThat(((EngineException) query.failure()).code()).isEqualTo(ErrorCode.SOURCE_ERROR);
    assertThat(sink.failure).isSameAs(query.failure());
    assertThat(sink.finished).isFalse();
    assertThat(query.completedBatches()).isEqualTo(1);
    assertThat(source.closed).isTrue();
    assertThat(driver.allocatedBytes()).isZero();
  }

  @Test
  void failingKernelFailsTheQueryWithItsErrorCode() throws Exception {
    // SELECT * FROM bids WHERE auction / 0 > 0: a map-only plan that fails on its first row
    PlanNode.Scan scan = WindowedPlans.scan();
    Expr divide = new Expr.Call(Operator.DIVIDE, List.of(new Expr.InputRef(0, BIGINT), new Expr.Literal(0L, BIGINT)),
        BIGINT);
    PlanNode plan = new PlanNode.Filter(scan, new Expr.Call(Operator.GREATER_THAN,
        List.of(divide, new Expr.Literal(0L, BIGINT)), BOOLEAN));
    QueryExecution query = driver.start("q", "SELECT ...", plan, new ScriptedSource(SCRIPT, false), sink);
    clock.advance(INTERVAL);
    assertThat(query.awaitTermination(TIMEOUT)).isTrue();
    assertThat(query.state()).isEqualTo(QueryState.FAILED);
    assertThat(((EngineException) query.failure()).code()).isEqualTo(ErrorCode.BAD_INPUT_DATA);
    assertThat(sink.failure).isSameAs(query.failure());
    assertThat(driver.allocatedBytes()).isZero();
  }

  @Test
  void mapOnlyQueryCommitsFilteredRowsEveryBatch() throws Exception {
    PlanNode.Scan scan = WindowedPlans.scan();
    PlanNode.Filter filter = new PlanNode.Filter(scan, new Expr.Call(Operator.EQUALS,
        List.of(new Expr.InputRef(0, BIGINT), new Expr.Literal(1L, BIGINT)), BOOLEAN));
    RowType out = rowType("price", WindowedPlans.PRICE, "ts", TestBatches.TIMESTAMP);
    PlanNode plan = new PlanNode.Project(filter, List.of(new Expr.InputRef(1, WindowedPlans.PRICE),
        new Expr.InputRef(2, TestBatches.TIMESTAMP)), out);
    QueryExecution query = driver.start("q", "SELECT ...", plan, new ScriptedSource(SCRIPT, true), sink);
    runBatches(query, 4);
    assertThat(query.awaitTermination(TIMEOUT)).isTrue();
    assertThat(query.state()).isEqualTo(QueryState.FINISHED);
    assertThat(sink.committed.get(0L)).containsExactlyInAnyOrder(row(dec("1.00"), 1000L), row(dec("3.00"), 5000L));
    assertThat(sink.committed.get(1L)).containsExactly(row(dec("4.00"), 12_000L));
    assertThat(sink.committed.get(2L)).containsExactly(row(dec("6.00"), 3000L));
    assertThat(sink.committed).doesNotContainKey(3L);
  }

  @Test
  void stoppingWhileABatchRunsIsClean() throws Exception {
    ScriptedSource source = new ScriptedSource(SCRIPT, false);
    source.blockOnBatch = 1;
    QueryExecution query = driver.start("q", "SELECT ...", WindowedPlans.bidsPerAuction(true), source, sink);
    runBatches(query, 1);
    clock.advance(INTERVAL);
    assertThat(source.blocked.await(TIMEOUT, TimeUnit.MILLISECONDS)).isTrue();

    CompletableFuture<Boolean> stopping = CompletableFuture.supplyAsync(() -> driver.stop("q"));
    source.release.countDown();
    assertThat(stopping.get(TIMEOUT, TimeUnit.MILLISECONDS)).isTrue();

    assertThat(query.state()).isEqualTo(QueryState.STOPPED);
    assertThat(query.failure()).isNull();
    assertThat(sink.failure).isNull();
    assertThat(sink.closed).isTrue();
    assertThat(source.closed).isTrue();
    assertThat(driver.queries()).isEmpty();
    assertThat(driver.allocatedBytes()).isZero();
  }

  @Test
  void stoppingAnIdleQueryIsClean() throws Exception {
    ScriptedSource source = new ScriptedSource(SCRIPT, false);
    QueryExecution query = driver.start("q", "SELECT ...", WindowedPlans.bidsPerAuction(true), source, sink);
    runBatches(query, 2);
    // keyed state of open windows is held in block stores between batches
    assertThat(driver.allocatedBytes()).isPositive();
    assertThat(driver.stop("q")).isTrue();
    assertThat(query.state()).isEqualTo(QueryState.STOPPED);
    assertThat(driver.allocatedBytes()).isZero();
  }

  /**
   * Returns the scripted rows of each batch in two splits; after the script, empty batches
   * (unbounded) or the end of input on the last scripted batch (bounded).
   */
  private static final class ScriptedSource implements Source {
    private final List<List<Object[]>> batches;
    private final boolean bounded;
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile long failOnBatch = -1;
    volatile long blockOnBatch = -1;
    volatile boolean closed;

    ScriptedSource(List<List<Object[]>> batches, boolean bounded) {
      this.batches = batches;
      this.bounded = bounded;
    }

    @Override
    public RowType rowType() {
      return WindowedPlans.BIDS;
    }

    @Override
    public SourceBatch planBatch(long batchId, long batchTime, int parallelism) {
      int rows = batchId < batches.size() ? batches.get((int) batchId).size() : 0;
      List<SourceSplit> splits = new ArrayList<>();
      String path = Long.toString(batchId);
      if (rows == 1) {
        splits.add(new SourceSplit(path, 0, 1));
      } else if (rows > 1) {
        splits.add(new SourceSplit(path, 0, rows / 2));
        splits.add(new SourceSplit(path, rows / 2, rows));
      }
      return new SourceBatch(splits, bounded && batchId >= batches.size() - 1);
    }

    @Override
    public ColumnBatch read(SourceSplit split, BufferAllocator allocator, SourceMetrics metrics) {
      long batchId = Long.parseLong(split.path());
      if (batchId == failOnBatch) {
        throw new EngineException(ErrorCode.SOURCE_ERROR, "cannot read split of batch " + batchId);
      }
      if (batchId == blockOnBatch) {
        blocked.countDown();
        try {
          release.await(TIMEOUT, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      List<Object[]> rows = batches.get((int) batchId);
      RowType type = rowType();
      try (BatchBuilder builder = new BatchBuilder(type, allocator)) {
        for (int r = (int) split.start(); r < split.end(); r++) {
          for (int c = 0; c < type.size(); c++) {
            builder.setValue(c, TestBatches.physical(rows.get(r)[c], type.type(c)));
          }
          builder.endRow();
        }
        return builder.build();
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Keeps the rows of each committed batch. */
  private static final class CollectingSink implements Sink {
    final Map<Long, List<List<Object>>> committed = new ConcurrentHashMap<>();
    final AtomicInteger commits = new AtomicInteger();
    volatile boolean finished;
    volatile boolean closed;
    volatile Throwable failure;

    @Override
    public void commit(long batchId, ColumnBatch rows) {
      commits.incrementAndGet();
      assertThat(committed.put(batchId, TestBatches.rows(rows))).as("batch %s committed twice", batchId).isNull();
    }

    @Override
    public void finish() {
      finished = true;
    }

    @Override
    public void fail(Throwable cause) {
      failure = cause;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
