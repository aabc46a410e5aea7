package io.dstream.executor.worker;

import static io.dstream.executor.kernel.TestBatches.BIGINT;
import static io.dstream.executor.kernel.TestBatches.rowType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.Task;
import io.dstream.executor.scheduler.TaskResult;
import io.dstream.executor.source.SourceSplit;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** Cancelling copies of tasks, and the test option that makes a worker a straggler. */
class WorkerTest {
  @Test
  void aCancelledQueuedTaskNeverRunsAndItsFutureFails() throws Exception {
    CompletableFuture<TaskResult> first;
    CompletableFuture<TaskResult> second;
    try (RootAllocator root = new RootAllocator();
        Worker worker = new Worker("w", 1, root, (location, type, allocator) -> {
          throw new AssertionError("no fetch expected");
        }, 600_000)) {
      worker.install(QueryDag.of("q", new PlanNode.Scan("s", rowType("a", BIGINT), -1, 0), 1), null);
      // The straggler's only slot waits before the first task; the second stays queued.
      first = worker.launch(task(0));
      second = worker.launch(task(1));
      worker.cancel(task(1));
      assertThat(second).isCompletedExceptionally();
      assertThatThrownBy(second::get).isInstanceOf(CancellationException.class).hasMessageContaining("cancelled");
      assertThat(first).isNotDone();
      worker.cancel(task(7));  // unknown: nothing happens
    }
    assertThat(first).as("closing the worker ends the waiting task").isCompletedExceptionally();
  }

  private static Task task(int partition) {
    return new Task.MapTask("q", 0, partition, new SourceSplit("in.csv", 0, 1), Long.MIN_VALUE);
  }
}
