package io.dstream.executor.scheduler;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.transport.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stages of one query: launches a stage's tasks, waits for their results and backs up
 * stragglers with one speculative copy on another worker (see {@link SpeculationConfig}). The
 * first successful copy of a task wins; the others are cancelled through the transport and
 * their blocks removed once they end. A task fails the stage only when all its copies failed.
 *
 * <p>Used by one job thread at a time; completion callbacks only record times and wake it.
 */
final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
  /** How often a waiting stage looks for stragglers. */
  static final long POLL_MILLIS = 20;
  /** How long a failing stage waits for each running copy before it reports the failure. */
  private static final long DRAIN_SECONDS = 30;

  /** A task and the worker it should run on. */
  record StageTask(String worker, Task task) {
    StageTask {
      requireNonNull(worker, "worker is null");
      requireNonNull(task, "task is null");
    }
  }

  private final Transport transport;
  private final SpeculationConfig config;
  private final LongSupplier nanoTime;
  private final AtomicLong speculativeTasks = new AtomicLong();
  private final AtomicLong speculativeWins = new AtomicLong();
  /** Losing copies still running, each with its cleanup: a retry of the batch waits for them. */
  private final Queue<CompletableFuture<?>> losers = new ConcurrentLinkedQueue<>();

  StageRunner(Transport transport, SpeculationConfig config, LongSupplier nanoTime) {
    this.transport = requireNonNull(transport, "transport is null");
    this.config = requireNonNull(config, "config is null");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
  }

  /** Speculative copies launched so far. */
  long speculativeTasks() {
    return speculativeTasks.get();
  }

  /** Tasks whose speculative copy finished first. */
  long speculativeWins() {
    return speculativeWins.get();
  }

  /**
   * Runs a stage to its end; its results in task order. Throws the failure of the first task
   * whose copies all failed, once the stage's other copies ended.
   */
  List<TaskResult> run(List<StageTask> tasks) throws InterruptedException, ExecutionException {
    Stage stage = start(tasks);
    try {
      while (!stage.step()) {
        stage.awaitChange(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      stage.drain();
      throw e;
    }
    return stage.finish();
  }

  /** Launches every task of a stage; the caller drives it with {@link Stage#step}. */
  Stage start(List<StageTask> tasks) {
    losers.removeIf(CompletableFuture::isDone);
    Stage stage = new Stage(tasks.size());
    for (StageTask t : tasks) {
      stage.launch(t.task(), t.worker());
    }
    return stage;
  }

  /**
   * Waits, at most {@code timeoutMillis} in all, until the losing copies of earlier stages
   * ended and their blocks were removed, so that a rerun of a batch cannot meet them.
   */
  void awaitLosers(long timeoutMillis) throws InterruptedException {
    long deadline = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (CompletableFuture<?> loser = losers.poll(); loser != null; loser = losers.poll()) {
      try {
        loser.get(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException | CancellationException ignored) {
        // a loser that fails or hangs is no longer our concern
      }
    }
  }

  /** One copy of a task on one worker. */
  private static final class Copy {
    final String worker;
    final boolean speculative;
    final long launchedNanos;
    final CompletableFuture<TaskResult> future;
    volatile long finishedNanos;

    Copy(String worker, boolean speculative, long launchedNanos, CompletableFuture<TaskResult> future) {
      this.worker = worker;
      this.speculative = speculative;
      this.launchedNanos = launchedNanos;
      this.future = future;
    }
  }

  /** A task of the stage: its copies, the first that succeeded, and its result once taken. */
  private static final class TaskState {
    final Task task;
    final List<Copy> copies = new ArrayList<>(2);
    final AtomicReference<Copy> firstSuccess = new AtomicReference<>();
    TaskResult result;
    long durationNanos;

    TaskState(Task task) {
      this.task = task;
    }

    boolean allCopiesFailed() {
      for (Copy c : copies) {
        if (!c.future.isCompletedExceptionally()) {
          return false;
        }
      }
      return true;
    }
  }

  /** One running stage. */
  final class Stage {
    private final List<TaskState> tasks;
    private final Object changes = new Object();
    private boolean changed;
    private int finished;
    private TaskState failed;

    private Stage(int size) {
      this.tasks = new ArrayList<>(size);
    }

    private void launch(Task task, String worker) {
      TaskState state = new TaskState(task);
      tasks.add(state);
      launchCopy(state, worker, false);
    }

    private void launchCopy(TaskState state, String worker, boolean speculative) {
      Copy copy = new Copy(worker, speculative, nanoTime.getAsLong(), transport.launch(worker, state.task));
      state.copies.add(copy);
      copy.future.whenComplete((result, error) -> {
        copy.finishedNanos = nanoTime.getAsLong();
        if (error == null) {
          state.firstSuccess.compareAndSet(null, copy);
        }
        signal();
      });
    }

    private void signal() {
      synchronized (changes) {
        changed = true;
        changes.notifyAll();
      }
    }

    /** Waits until a copy ended or {@code timeoutMillis} passed. */
    void awaitChange(long timeoutMillis) throws InterruptedException {
      synchronized (changes) {
        if (!changed) {
          changes.wait(timeoutMillis);
        }
        changed = false;
      }
    }

    /**
     * Takes the results of tasks whose first copy succeeded, then launches copies of
     * stragglers; true when the stage is over: every task has a result, or one task failed.
     */
    boolean step() {
      if (failed != null) {
        return true;
      }
      for (TaskState t : tasks) {
        if (t.result != null) {
          continue;
        }
        Copy winner = t.firstSuccess.get();
        if (winner != null) {
          take(t, winner);
        } else if (t.allCopiesFailed()) {
          failed = t;
          return true;
        }
      }
      if (finished == tasks.size()) {
        return true;
      }
      if (config.enabled()) {
        speculate();
      }
      return false;
    }

    private void take(TaskState t, Copy winner) {
      t.result = winner.future.join();
      t.durationNanos = winner.finishedNanos - winner.launchedNanos;
      finished++;
      if (winner.speculative) {
        speculativeWins.incrementAndGet();
        LOG.debug("Speculative copy of {} on worker {} finished first", describe(t.task), winner.worker);
      }
      for (Copy loser : t.copies) {
        if (loser != winner) {
          dismiss(t, loser, t.result);
        }
      }
    }

    /** Cancels a losing copy and removes the blocks it wrote, now or when it ends. */
    private void dismiss(TaskState t, Copy loser, TaskResult winning) {
      if (!loser.future.isDone()) {
        transport.cancel(loser.worker, t.task);
      }
      CompletableFuture<Void> cleaned = loser.future.handle((result, error) -> {
        if (result != null) {
          removeBlocks(result, winning);
        }
        return null;
      });
      if (!cleaned.isDone()) {
        losers.add(cleaned);
      }
    }

    private void removeBlocks(TaskResult loser, TaskResult winner) {
      Set<BlockLocation> kept = new HashSet<>(winner.blocks());
      if (winner.state() != null) {
        kept.add(winner.state());
      }
      List<BlockLocation> written = new ArrayList<>(loser.blocks());
      if (loser.state() != null) {
        written.add(loser.state());
      }
      if (loser.late() != null && !loser.late().equals(winner.late())) {
        written.add(loser.late());
      }
      for (BlockLocation location : written) {
        if (!kept.contains(location)) {
          transport.remove(location);
        }
      }
    }

    private void speculate() {
      if (finished == 0 || finished < config.minimumFinished(tasks.size())) {
        return;
      }
      long threshold = config.thresholdNanos(medianNanos());
      long now = nanoTime.getAsLong();
      List<String> live = transport.workers();
      Map<String, Integer> load = runningCopiesPerWorker();
      for (TaskState t : tasks) {
        if (t.result != null || t.copies.size() > 1) {
          continue;
        }
        Copy original = t.copies.get(0);
        if (original.future.isDone() || now - original.launchedNanos <= threshold) {
          continue;
        }
        String target = leastLoaded(live, original.worker, load);
        if (target == null) {
          continue;
        }
        LOG.debug("{} on worker {} has run {} ms (threshold {} ms): speculative copy on worker {}",
            describe(t.task), original.worker, TimeUnit.NANOSECONDS.toMillis(now - original.launchedNanos),
            TimeUnit.NANOSECONDS.toMillis(threshold), target);
        speculativeTasks.incrementAndGet();
        launchCopy(t, target, true);
        load.merge(target, 1, Integer::sum);
      }
    }

    private long medianNanos() {
      long[] durations = new long[finished];
      int n = 0;
      for (TaskState t : tasks) {
        if (t.result != null) {
          durations[n++] = t.durationNanos;
        }
      }
      Arrays.sort(durations);
      return n % 2 == 1 ? durations[n / 2] : (durations[n / 2 - 1] + durations[n / 2]) / 2;
    }

    private Map<String, Integer> runningCopiesPerWorker() {
      Map<String, Integer> load = new HashMap<>();
      for (TaskState t : tasks) {
        for (Copy c : t.copies) {
          if (!c.future.isDone()) {
            load.merge(c.worker, 1, Integer::sum);
          }
        }
      }
      return load;
    }

    /** The live worker other than {@code exclude} running the fewest copies; null if none. */
    private static String leastLoaded(List<String> live, String exclude, Map<String, Integer> load) {
      String best = null;
      int bestLoad = Integer.MAX_VALUE;
      for (String w : live) {
        int l = load.getOrDefault(w, 0);
        if (!w.equals(exclude) && l < bestLoad) {
          best = w;
          bestLoad = l;
        }
      }
      return best;
    }

    /**
     * The results in task order, or the failure of the first failed task once every copy
     * still running was cancelled and ended (bounded), so a retry does not meet them.
     */
    List<TaskResult> finish() throws InterruptedException, ExecutionException {
      if (failed == null) {
        List<TaskResult> results = new ArrayList<>(tasks.size());
        for (TaskState t : tasks) {
          results.add(t.result);
        }
        return results;
      }
      drain();
      try {
        failed.copies.get(0).future.get();
      } catch (CancellationException e) {
        throw new ExecutionException(e);
      }
      throw new IllegalStateException("a failed task has a result");
    }

    /** Cancels every copy still running and waits for each, at most a bounded time. */
    private void drain() throws InterruptedException {
      for (TaskState t : tasks) {
        for (Copy c : t.copies) {
          if (!c.future.isDone()) {
            transport.cancel(c.worker, t.task);
          }
        }
      }
      for (TaskState t : tasks) {
        for (Copy c : t.copies) {
          try {
            c.future.get(DRAIN_SECONDS, TimeUnit.SECONDS);
          } catch (ExecutionException | TimeoutException | CancellationException ignored) {
            // already failing; the first error is the one reported
          }
        }
      }
    }
  }

  private static String describe(Task task) {
    String kind = task instanceof Task.MapTask ? "map" : "reduce";
    return "Query " + task.query() + " batch " + task.batch() + " " + kind + " task " + task.partition();
  }
}
