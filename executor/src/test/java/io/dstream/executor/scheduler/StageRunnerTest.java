package io.dstream.executor.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.transport.Transport;
import io.dstream.executor.type.RowType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stage runner over a fake transport whose task futures the test completes by hand, on a
 * time source the test moves: no sleeps, no real workers.
 */
class StageRunnerTest {
  private static final List<String> WORKERS = List.of("w0", "w1", "w2", "w3");

  private final AtomicLong nanos = new AtomicLong();
  private final FakeTransport transport = new FakeTransport();
  private final StageRunner runner = new StageRunner(transport, SpeculationConfig.defaults(), nanos::get);
  private final ExecutorService thread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopThread() {
    thread.shutdownNow();
  }

  @Test
  void speculatesOnlyOnceThreeQuartersOfTheStageFinished() {
    StageRunner.Stage stage = runner.start(mapTasks(4));
    finish(0, at(10));
    finish(1, at(10));
    at(1000);
    assertThat(stage.step()).isFalse();
    assertThat(transport.launches).hasSize(4);

    finish(2, at(1000));
    assertThat(stage.step()).isFalse();
    assertThat(transport.launches).hasSize(5);
    Launch copy = transport.launches.get(4);
    assertThat(copy.task()).isEqualTo(transport.launches.get(3).task());
    assertThat(copy.worker()).isNotEqualTo("w3");
    assertThat(runner.speculativeTasks()).isEqualTo(1);
  }

  @Test
  void onlyTasksRunningLongerThanTheMultipleOfTheMedianGetACopy() {
    StageRunner.Stage stage = runner.start(mapTasks(4));
    at(100);
    finish(0, 100);
    finish(1, 100);
    finish(2, 100);
    at(140);  // 1.4 x the median of 100 ms: not yet above it
    stage.step();
    assertThat(transport.launches).hasSize(4);
    at(141);
    stage.step();
    assertThat(transport.launches).hasSize(5);
    at(10_000);
    stage.step();
    assertThat(transport.launches).as("one copy per task").hasSize(5);
  }

  @Test
  void shortTasksAreNotSpeculatedBeforeTheMinimumRuntime() {
    StageRunner.Stage stage = runner.start(mapTasks(2));
    finish(0, at(1));
    at(50);
    stage.step();
    assertThat(transport.launches).hasSize(2);
    at(51);
    stage.step();
    assertThat(transport.launches).hasSize(3);
  }

  @Test
  void firstResultWinsAndTheLoserIsCancelledAndItsBlocksRemoved() throws Exception {
    StageRunner.Stage stage = runner.start(mapTasks(4));
    for (int i = 0; i < 3; i++) {
      finish(i, at(10));
    }
    at(200);
    stage.step();
    Launch copy = transport.launches.get(4);
    copy.future().complete(result(copy));
    assertThat(stage.step()).isTrue();
    List<TaskResult> results = stage.finish();

    assertThat(results.get(3).blocks()).containsExactly(block(copy));
    assertThat(runner.speculativeWins()).isEqualTo(1);
    assertThat(transport.cancelled).containsExactly("w3/" + partition(copy));
    Launch original = transport.launches.get(3);
    original.future().complete(result(original));
    assertThat(transport.removed).containsExactly(block(original));
  }

  @Test
  void whenTheOriginalFinishesFirstTheCopyLoses() throws Exception {
    StageRunner.Stage stage = runner.start(mapTasks(4));
    for (int i = 0; i < 3; i++) {
      finish(i, at(10));
    }
    at(200);
    stage.step();
    finish(3, at(210));
    assertThat(stage.step()).isTrue();
    assertThat(stage.finish().get(3).blocks()).containsExactly(block(transport.launches.get(3)));
    assertThat(runner.speculativeTasks()).isEqualTo(1);
    assertThat(runner.speculativeWins()).isZero();
    Launch copy = transport.launches.get(4);
    assertThat(transport.cancelled).containsExactly(copy.worker() + "/3");
  }

  @Test
  void aTaskFailsTheStageOnlyWhenAllItsCopiesFailed() throws Exception {
    StageRunner.Stage stage = runner.start(mapTasks(4));
    for (int i = 0; i < 3; i++) {
      finish(i, at(10));
    }
    at(200);
    stage.step();
    transport.launches.get(3).future().completeExceptionally(lost("w3"));
    assertThat(stage.step()).as("the copy still runs").isFalse();
    Launch copy = transport.launches.get(4);
    copy.future().complete(result(copy));
    assertThat(stage.step()).isTrue();
    assertThat(stage.finish().get(3).blocks()).containsExactly(block(copy));
  }

  @Test
  void allCopiesFailingFailsTheStageWithTheOriginalsError() {
    StageRunner.Stage stage = runner.start(mapTasks(4));
    for (int i = 0; i < 3; i++) {
      finish(i, at(10));
    }
    at(200);
    stage.step();
    transport.launches.get(4).future().completeExceptionally(new IllegalStateException("copy broke"));
    assertThat(stage.step()).isFalse();
    transport.launches.get(3).future().completeExceptionally(lost("w3"));
    assertThat(stage.step()).isTrue();
    assertThatThrownBy(stage::finish).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(EngineException.class).hasMessageContaining("w3 is lost");
  }

  @Test
  void aCopyLostWithItsWorkerDoesNotFailTheTaskWhoseOriginalSucceeds() throws Exception {
    StageRunner.Stage stage = runner.start(mapTasks(4));
    for (int i = 0; i < 3; i++) {
      finish(i, at(10));
    }
    at(200);
    stage.step();
    Launch copy = transport.launches.get(4);
    copy.future().completeExceptionally(lost(copy.worker()));
    assertThat(stage.step()).isFalse();
    finish(3, at(300));
    assertThat(stage.step()).isTrue();
    assertThat(stage.finish()).hasSize(4);
  }

  @Test
  void disabledSpeculationNeverLaunchesACopy() {
    StageRunner disabled = new StageRunner(transport, SpeculationConfig.disabled(), nanos::get);
    StageRunner.Stage stage = disabled.start(mapTasks(4));
    for (int i = 0; i < 3; i++) {
      finish(i, at(10));
    }
    at(1_000_000);
    assertThat(stage.step()).isFalse();
    assertThat(transport.launches).hasSize(4);
    assertThat(disabled.speculativeTasks()).isZero();
  }

  @Test
  void withoutAnotherLiveWorkerNoCopyIsLaunched() {
    transport.live = List.of("w0");
    StageRunner.Stage stage = runner.start(List.of(
        new StageRunner.StageTask("w0", mapTask(0)), new StageRunner.StageTask("w0", mapTask(1))));
    finish(0, at(10));
    at(1000);
    stage.step();
    assertThat(transport.launches).hasSize(2);
  }

  @Test
  void copiesGoToTheLeastLoadedOtherWorkers() {
    StageRunner.Stage stage = runner.start(List.of(
        new StageRunner.StageTask("w0", mapTask(0)), new StageRunner.StageTask("w0", mapTask(1)),
        new StageRunner.StageTask("w1", mapTask(2)), new StageRunner.StageTask("w1", mapTask(3)),
        new StageRunner.StageTask("w2", mapTask(4)), new StageRunner.StageTask("w2", mapTask(5)),
        new StageRunner.StageTask("w3", mapTask(6)), new StageRunner.StageTask("w3", mapTask(7))));
    for (int i = 0; i < 6; i++) {
      finish(i, at(10));
    }
    at(1000);
    stage.step();
    assertThat(transport.launches.subList(8, 10)).extracting(Launch::worker).containsExactly("w0", "w1");
  }

  @Test
  void runWaitsForEveryTaskAndReturnsResultsInTaskOrder() throws Exception {
    Future<List<TaskResult>> results = thread.submit(() -> runner.run(mapTasks(3)));
    List<Launch> launches = transport.awaitLaunches(3);
    for (int i = 2; i >= 0; i--) {
      launches.get(i).future().complete(result(launches.get(i)));
    }
    assertThat(results.get(10, TimeUnit.SECONDS)).extracting(r -> r.blocks().get(0))
        .containsExactly(block(launches.get(0)), block(launches.get(1)), block(launches.get(2)));
  }

  @Test
  void runLaunchesACopyOfAStragglerWithoutAnyCompletion() throws Exception {
    Future<List<TaskResult>> results = thread.submit(() -> runner.run(mapTasks(4)));
    List<Launch> launches = transport.awaitLaunches(4);
    for (int i = 0; i < 3; i++) {
      launches.get(i).future().complete(result(launches.get(i)));
    }
    // Only time passes: the runner's periodic check notices the straggler.
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
    Launch copy = transport.awaitLaunches(5).get(4);
    copy.future().complete(result(copy));
    assertThat(results.get(10, TimeUnit.SECONDS).get(3).blocks()).containsExactly(block(copy));
  }

  @Test
  void speculationConfigChecksItsValuesAndRoundsTheQuantileDown() {
    SpeculationConfig config = SpeculationConfig.defaults();
    assertThat(config.enabled()).isTrue();
    assertThat(config.multiplier()).isEqualTo(1.4);
    assertThat(config.quantile()).isEqualTo(0.75);
    assertThat(config.minimumRuntime()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.minimumFinished(3)).isEqualTo(2);
    assertThat(config.minimumFinished(4)).isEqualTo(3);
    assertThat(config.minimumFinished(1)).isEqualTo(1);
    assertThat(config.thresholdNanos(TimeUnit.MILLISECONDS.toNanos(100))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
    assertThat(SpeculationConfig.disabled().enabled()).isFalse();
    assertThatThrownBy(() -> new SpeculationConfig(true, 0.5, 0.75, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
    assertThatThrownBy(() -> new SpeculationConfig(true, 1.4, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quantile");
    assertThatThrownBy(() -> new SpeculationConfig(true, 1.4, 0.75, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimum runtime");
  }

  // ---------------------------------------------------------------------------------------

  /** Moves the time source to {@code millis}; returns it. */
  private long at(long millis) {
    nanos.set(TimeUnit.MILLISECONDS.toNanos(millis));
    return millis;
  }

  /** Completes the original copy of task {@code index}, at the time {@code millis}. */
  private void finish(int index, long millis) {
    at(millis);
    Launch launch = transport.launches.get(index);
    launch.future().complete(result(launch));
  }

  private static List<StageRunner.StageTask> mapTasks(int count) {
    List<StageRunner.StageTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(new StageRunner.StageTask(WORKERS.get(i % WORKERS.size()), mapTask(i)));
    }
    return tasks;
  }

  private static Task mapTask(int partition) {
    return new Task.MapTask("q", 0, partition, new SourceSplit("in.csv", partition, partition + 1), 0);
  }

  private static int partition(Launch launch) {
    return launch.task().partition();
  }

  /** The block a copy writes: on its own worker, named by its task. */
  private static BlockLocation block(Launch launch) {
    return new BlockLocation(launch.worker(), new BlockId("q", 0, BlockId.Kind.OUTPUT, partition(launch), 0));
  }

  private static TaskResult result(Launch launch) {
    return new TaskResult(List.of(block(launch)), List.of(), null, 1, 1, Long.MIN_VALUE, 0, 0);
  }

  private static EngineException lost(String worker) {
    return new EngineException(ErrorCode.WORKER_LOST, "Worker " + worker + " is lost");
  }

  private record Launch(String worker, Task task, CompletableFuture<TaskResult> future) {}

  /** Records launches, cancellations and removals; the test completes the futures. */
  private static final class FakeTransport implements Transport {
    final List<Launch> launches = new ArrayList<>();
    final List<String> cancelled = new ArrayList<>();
    final List<BlockLocation> removed = new ArrayList<>();
    volatile List<String> live = WORKERS;

    /** Blocks until {@code count} copies were launched (by another thread); a snapshot. */
    synchronized List<Launch> awaitLaunches(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (launches.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("only " + launches.size() + " launches, expected " + count);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return new ArrayList<>(launches);
    }

    @Override
    public List<String> workers() {
      return live;
    }

    @Override
    public int parallelism() {
      return live.size();
    }

    @Override
    public void install(QueryDag dag, Source source, SourceDescriptor descriptor) {}

    @Override
    public void uninstall(String query) {}

    @Override
    public synchronized CompletableFuture<TaskResult> launch(String worker, Task task) {
      CompletableFuture<TaskResult> future = new CompletableFuture<>();
      launches.add(new Launch(worker, task, future));
      notifyAll();
      return future;
    }

    @Override
    public synchronized void cancel(String worker, Task task) {
      cancelled.add(worker + "/" + task.partition());
    }

    @Override
    public ColumnBatch fetch(BlockLocation location, RowType rowType, BufferAllocator allocator) {
      throw new UnsupportedOperationException();
    }

    @Override
    public synchronized void remove(BlockLocation location) {
      removed.add(location);
    }

    @Override
    public void close() {}
  }
}
