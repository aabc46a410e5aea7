package io.dstream.executor.scheduler;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.block.BlockId;
import io.dstream.executor.block.BlockLocation;
import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.executor.checkpoint.CheckpointCoordinator;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.kernel.BatchOperator;
import io.dstream.executor.kernel.FilterKernel;
import io.dstream.executor.kernel.Gather;
import io.dstream.executor.kernel.KernelContext;
import io.dstream.executor.kernel.ProjectKernel;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.stateful.StatefulOperator;
import io.dstream.executor.stateful.StatefulOperators;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceBatch;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.source.SourceSplit;
import io.dstream.executor.time.Clock;
import io.dstream.executor.transport.Transport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running query: its job generator thread cuts time into batches on the clock and runs one
 * job per batch: plan the input of each source, run the map stage, advance the watermark, run
 * the reduce stage over the keyed state of the previous batch, and commit the output to the sink.
 *
 * <p>A query with several inputs (a union or a join) has one source per input branch of its
 * DAG, each with its own event-time column and watermark delay. Each input has its own
 * watermark (its max event time - its delay; +infinity once a bounded input ended), and the
 * query's watermark is the minimum over its inputs: a window closes, and join state is dropped,
 * only once every input has passed it. An idle input (no new rows) keeps its watermark, so it
 * holds the query's watermark back until it receives rows or ends, as in Flink without an
 * idleness timeout: results are never wrong for an input that was only slow.
 */
public final class QueryExecution implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueryExecution.class);
  private static final int STATS_KEPT = 600;

  private final QueryDag dag;
  private final List<Source> sources;
  private final Sink sink;
  private final Transport transport;
  private final StageRunner stages;
  private final Clock clock;
  private final long interval;
  private final BufferAllocator allocator;
  private final String sql;
  private final Thread thread;
  private final Deque<BatchStats> stats = new ArrayDeque<>();
  private final BlockLocation[] state;
  /** What recomputing lost state needs, by batch id: the batches after the latest checkpoint. */
  private final NavigableMap<Long, BatchLineage> lineage = new TreeMap<>();
  /** Null when the query keeps no state or no checkpoint directory is configured. */
  private final CheckpointCoordinator checkpoints;
  private static final int MAX_ATTEMPTS = 8;
  private static final int WORKER_WAIT_SECONDS = 60;
  private final QueryResume resume;
  private final QueryProgressListener listener;
  private final LateRowsHandler lateRowsHandler;
  private final long createdNanos = System.nanoTime();
  /** True until the state of a resumed query is rebuilt (on its first batch). */
  private boolean stateToRebuild;
  private String sourcePosition = "";
  /** The watermark of each input (indexed by branch), whose minimum is the query's. */
  private final long[] inputWatermarks;
  /** Whether each input (indexed by branch) reported that it ended. */
  private final boolean[] inputEnded;
  private volatile long resumeToFirstBatchMillis = -1;

  private long firstBatchTime;
  private volatile QueryState queryState = QueryState.RUNNING;
  private volatile Throwable failure;
  private volatile boolean stopRequested;
  private long completedBatches;
  private long watermark = Long.MIN_VALUE;
  private long inputRows;
  private long outputRows;
  private long lateRows;
  private long skippedRows;
  private long recoveredBatches;
  private volatile long stateRows;

  QueryExecution(QueryDag dag, String sql, Source source, SourceDescriptor descriptor, Sink sink,
      Transport transport, SpeculationConfig speculation, CheckpointConfig checkpoint, Clock clock, long interval,
      BufferAllocator allocator, QueryResume resume, QueryProgressListener listener) {
    this(dag, sql, java.util.Collections.singletonList(source), java.util.Collections.singletonList(descriptor), sink,
        transport, speculation, checkpoint, clock, interval, allocator, resume, listener, LateRowsHandler.NONE);
  }

  /** A query with one source (and descriptor, possibly null) per input branch of {@code dag}. */
  QueryExecution(QueryDag dag, String sql, List<Source> sources, List<SourceDescriptor> descriptors, Sink sink,
      Transport transport, SpeculationConfig speculation, CheckpointConfig checkpoint, Clock clock, long interval,
      BufferAllocator allocator, QueryResume resume, QueryProgressListener listener,
      LateRowsHandler lateRowsHandler) {
    this.lateRowsHandler = requireNonNull(lateRowsHandler, "lateRowsHandler is null");
    this.dag = requireNonNull(dag, "dag is null");
    this.sql = requireNonNull(sql, "sql is null");
    this.sources = List.copyOf(sources);
    if (this.sources.size() != dag.branches().size() || descriptors.size() != dag.branches().size()) {
      throw new IllegalArgumentException("query " + dag.query() + " has " + dag.branches().size() + " inputs, but "
          + sources.size() + " sources and " + descriptors.size() + " descriptors were given");
    }
    this.inputWatermarks = new long[sources.size()];
    this.inputEnded = new boolean[sources.size()];
    Arrays.fill(inputWatermarks, Long.MIN_VALUE);
    this.sink = requireNonNull(sink, "sink is null");
    this.transport = transport;
    this.stages = new StageRunner(transport, speculation, System::nanoTime);
    this.clock = clock;
    this.interval = interval;
    this.allocator = allocator;
    this.state = new BlockLocation[dag.partitions()];
    this.resume = requireNonNull(resume, "resume is null");
    this.listener = requireNonNull(listener, "listener is null");
    if (!resume.isFresh()) {
      sourcePosition = resume.sourcePosition();
      watermark = resume.watermark();
      if (sources.size() == 1) {
        sources.get(0).seek(resume.sourcePosition());
        inputWatermarks[0] = watermark;
      } else {
        InputPositions positions = InputPositions.decode(resume.sourcePosition(), sources.size());
        for (int i = 0; i < sources.size(); i++) {
          sources.get(i).seek(positions.positions().get(i));
          inputWatermarks[i] = positions.watermarks()[i];
        }
      }
      completedBatches = resume.nextBatch();
      if (dag.hasShuffle()) {
        for (BatchLineage step : resume.lineage()) {
          lineage.put(step.batch(), step);
        }
        stateToRebuild = true;
      }
    }
    transport.install(dag, this.sources, descriptors);
    // Map-only queries keep no state: there is nothing to checkpoint and no lineage to truncate.
    CheckpointCoordinator.StateWriter writer =
        (location, file) -> transport.checkpoint(location, dag.stateType(), file);
    if (checkpoint == null || !dag.hasShuffle()) {
      this.checkpoints = null;
    } else if (resume.isFresh()) {
      this.checkpoints = new CheckpointCoordinator(dag.query(), checkpoint, writer);
    } else {
      this.checkpoints = CheckpointCoordinator.resume(dag.query(), checkpoint, writer, resume.nextBatch() - 1);
    }
    this.thread = new Thread(this::loop, "dstream-query-" + dag.query());
    this.thread.setDaemon(true);
  }

  void start() {
    // Taken before the thread starts, so that a clock moved right after start() cuts batch 0.
    firstBatchTime = Math.floorDiv(clock.millis(), interval) * interval + interval;
    if (resume.isFresh()) {
      LOG.info("Query {} started: {}", dag.query(), sql);
    } else {
      LOG.info("Query {} resumed at batch {} (checkpoint of batch {}, {} batches of lineage): {}", dag.query(),
          resume.nextBatch(), checkpointedBatch(), lineage.size(), sql);
    }
    thread.start();
  }

  public String id() {
    return dag.query();
  }

  public String sql() {
    return sql;
  }

  public QueryDag dag() {
    return dag;
  }

  public QueryState state() {
    return queryState;
  }

  public Throwable failure() {
    return failure;
  }

  public synchronized long completedBatches() {
    return completedBatches;
  }

  public synchronized long watermark() {
    return watermark;
  }

  public synchronized long inputRows() {
    return inputRows;
  }

  public synchronized long outputRows() {
    return outputRows;
  }

  public synchronized long lateRows() {
    return lateRows;
  }

  public synchronized long skippedRows() {
    return skippedRows;
  }

  /** Rows of keyed state (groups, panes, sessions...) over all partitions after the last batch. */
  public long stateRows() {
    return stateRows;
  }

  /** Speculative copies of straggling tasks launched so far. */
  public long speculativeTasks() {
    return stages.speculativeTasks();
  }

  /** Tasks whose speculative copy finished before the original. */
  public long speculativeWins() {
    return stages.speculativeWins();
  }

  /** Batches of lineage kept for recovering lost state: those after the latest checkpoint. */
  public synchronized int lineageLength() {
    return lineage.size();
  }

  /**
   * For a resumed query, the time from its creation in the new driver to the end of its first
   * batch there (rebuilding its state included), or -1 (not resumed, or no batch yet).
   */
  public long resumeToFirstBatchMillis() {
    return resumeToFirstBatchMillis;
  }

  /** Batches replayed from lineage by recoveries of lost state so far. */
  public synchronized long recoveredBatches() {
    return recoveredBatches;
  }

  /** The newest batch whose state checkpoint is complete, or -1 (none yet, or no checkpoints). */
  public long checkpointedBatch() {
    return checkpoints == null ? -1 : checkpoints.checkpointedBatch();
  }

  /**
   * Blocks until the state checkpoint of {@code batch} or a later one is complete; false on
   * timeout or when this query does not checkpoint.
   */
  public boolean awaitCheckpoint(long batch, long timeoutMillis) throws InterruptedException {
    return checkpoints != null && checkpoints.awaitCheckpointed(batch, timeoutMillis);
  }

  public synchronized List<BatchStats> recentBatches() {
    return new ArrayList<>(stats);
  }

  /** Blocks until {@code count} batches completed or the query ended; false on timeout. */
  public synchronized boolean awaitBatches(long count, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (completedBatches < count && queryState == QueryState.RUNNING) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return completedBatches >= count;
  }

  /** Blocks until the query is no longer running; false on timeout. */
  public boolean awaitTermination(long timeoutMillis) throws InterruptedException {
    thread.join(timeoutMillis);
    return !thread.isAlive();
  }

  private void loop() {
    long batch = resume.nextBatch();
    long next = firstBatchTime;
    try {
      while (!stopRequested) {
        clock.waitUntil(next);
        if (stopRequested) {
          break;
        }
        boolean exhausted = runBatch(batch, next);
        batch++;
        if (exhausted) {
          sink.finish();
          end(QueryState.FINISHED, null);
          LOG.info("Query {} finished: its input ended after {} batches", dag.query(), batch);
          return;
        }
        next += interval;
      }
      end(QueryState.STOPPED, null);
    } catch (InterruptedException e) {
      end(QueryState.STOPPED, null);
    } catch (Throwable t) {
      Throwable cause = unwrap(t);
      if (stopRequested) {
        end(QueryState.STOPPED, null);
        return;
      }
      LOG.warn("Query {} failed: {}", dag.query(), cause.toString());
      sink.fail(cause);
      end(QueryState.FAILED, cause);
    } finally {
      cleanup();
    }
  }

  private boolean runBatch(long batch, long batchTime) throws Exception {
    long started = clock.millis();
    long startNanos = System.nanoTime();
    PlannedInput input = planInput(batch, batchTime);
    long previousWatermark = watermark;
    for (int attempt = 1; ; attempt++) {
      try {
        return runJob(batch, batchTime, input, previousWatermark, started, startNanos);
      } catch (ExecutionException | EngineException e) {
        Throwable cause = unwrap(e);
        if (!(cause instanceof EngineException ee) || ee.code() != ErrorCode.WORKER_LOST
            || attempt >= MAX_ATTEMPTS || stopRequested) {
          throw e;
        }
        LOG.warn("Query {} batch {}: {}; recomputing on workers {} (attempt {})", dag.query(), batch,
            cause.getMessage(), transport.workers(), attempt + 1);
        // Give the transport time to notice the loss before the next attempt, and let copies
        // that lost to a speculative copy end, so that they cannot meet the rerun's blocks.
        Thread.sleep(Math.min(1000, 100L * attempt));
        stages.awaitLosers(30_000);
      }
    }
  }

  /** The splits of every input for one batch, with the branch of each split. */
  private record PlannedInput(List<SourceSplit> splits, List<Integer> branches, boolean[] ended,
      List<String> positions) {
    boolean exhausted() {
      for (boolean e : ended) {
        if (!e) {
          return false;
        }
      }
      return true;
    }
  }

  private PlannedInput planInput(long batch, long batchTime) {
    List<SourceSplit> splits = new ArrayList<>();
    List<Integer> branches = new ArrayList<>();
    boolean[] ended = inputEnded.clone();
    List<String> positions = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      SourceBatch planned = sources.get(i).planBatch(batch, batchTime, dag.partitions());
      for (SourceSplit split : planned.splits()) {
        splits.add(split);
        branches.add(i);
      }
      ended[i] |= planned.exhausted();
      positions.add(sources.get(i).position().orElse(""));
    }
    return new PlannedInput(splits, branches, ended, positions);
  }

  /**
   * The watermark of each input after a batch: its max event time minus its delay, never going
   * back; +infinity once the input ended.
   */
  private long[] inputWatermarks(PlannedInput input, List<TaskResult> mapResults) {
    long[] next = inputWatermarks.clone();
    for (int k = 0; k < mapResults.size(); k++) {
      int branch = input.branches().get(k);
      PlanNode.Scan scan = dag.branch(branch).scan();
      long max = mapResults.get(k).maxEventTime();
      if (max != Long.MIN_VALUE && scan.timeColumn() >= 0) {
        next[branch] = Math.max(next[branch], max - scan.watermarkDelayMillis());
      }
    }
    for (int i = 0; i < next.length; i++) {
      if (input.ended()[i]) {
        next[i] = Long.MAX_VALUE;
      }
    }
    return next;
  }

  private boolean runJob(long batch, long batchTime, PlannedInput input, long previousWatermark,
      long started, long startNanos) throws Exception {
    List<String> workers = liveWorkers();
    if (stateToRebuild) {
      rebuildState(batch, workers);
      stateToRebuild = false;
    }
    long speculativeBefore = stages.speculativeTasks();
    long winsBefore = stages.speculativeWins();
    long processingTime = batchTime - interval;
    List<TaskResult> mapResults = runMaps(batch, input.splits(), input.branches(), previousWatermark,
        processingTime, workers);
    long batchInput = 0;
    long batchLate = 0;
    long batchSkipped = 0;
    for (TaskResult r : mapResults) {
      batchInput += r.inputRows();
      batchLate += r.lateRows();
      batchSkipped += r.skippedRows();
    }
    long[] nextInputWatermarks = inputWatermarks(input, mapResults);
    long slowestInput = Long.MAX_VALUE;
    for (long w : nextInputWatermarks) {
      slowestInput = Math.min(slowestInput, w);
    }
    long newWatermark = Math.max(previousWatermark, slowestInput);
    if (dag.usesProcessingTime()) {
      // No row of a later batch can have an earlier processing time than this batch's end.
      newWatermark = Math.max(newWatermark, batchTime);
    }
    if (input.exhausted()) {
      newWatermark = Long.MAX_VALUE;
    }
    sourcePosition = sources.size() == 1 ? input.positions().get(0)
        : InputPositions.encode(input.positions(), nextInputWatermarks);

    List<BlockLocation> outputs = new ArrayList<>();
    List<BlockLocation> consumed = new ArrayList<>();
    if (dag.hasShuffle()) {
      recoverLostState(batch, workers);
      List<StageRunner.StageTask> reduces = new ArrayList<>();
      for (int p = 0; p < dag.partitions(); p++) {
        List<BlockLocation> inputs = shuffleInputs(mapResults, p);
        consumed.addAll(inputs);
        reduces.add(new StageRunner.StageTask(reduceWorker(p, workers), new Task.ReduceTask(dag.query(), batch, p,
            inputs, state[p], newWatermark, previousWatermark)));
      }
      List<TaskResult> reduceResults = stages.run(reduces);
      List<long[]> ordered = new ArrayList<>();
      List<BlockLocation> unordered = new ArrayList<>();
      long rowsOfState = 0;
      for (int p = 0; p < dag.partitions(); p++) {
        if (state[p] != null) {
          consumed.add(state[p]);
        }
        TaskResult r = reduceResults.get(p);
        batchLate += r.lateRows();
        state[p] = r.state();
        rowsOfState += r.stateRows();
        for (int b = 0; b < r.blocks().size(); b++) {
          ordered.add(new long[] {r.blockOrder().get(b), unordered.size()});
          unordered.add(r.blocks().get(b));
        }
      }
      stateRows = rowsOfState;
      // Windows in time order; within a window, partitions in order: deterministic output.
      ordered.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
      for (long[] o : ordered) {
        outputs.add(unordered.get((int) o[1]));
      }
      synchronized (this) {
        lineage.put(batch, new BatchLineage(batch, input.splits(), input.branches(), previousWatermark,
            newWatermark, processingTime));
      }
    } else {
      for (TaskResult r : mapResults) {
        outputs.addAll(r.blocks());
      }
    }
    long batchOutput = commit(batch, outputs);
    consumed.addAll(outputs);
    deliverLateRows(batch, mapResults, input.branches());
    consumed.forEach(transport::remove);
    // Before old checkpoints are deleted: what the listener records must not refer to one.
    List<BatchLineage> kept;
    synchronized (this) {
      kept = new ArrayList<>(lineage.values());
    }
    listener.batchCompleted(new QueryProgress(dag.query(), batch, newWatermark, sourcePosition, kept,
        input.exhausted()));
    if (checkpoints != null) {
      checkpoints.afterBatch(batch, Arrays.asList(state.clone()));
      truncateLineage();
    }

    long processing = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    // Before waiters on the batch count wake up, so that they see it.
    if (!resume.isFresh() && resumeToFirstBatchMillis < 0) {
      resumeToFirstBatchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createdNanos);
      LOG.info("Query {}: first batch after resuming ({}) done {} ms after the query was recreated", dag.query(),
          batch, resumeToFirstBatchMillis);
    }
    synchronized (this) {
      watermark = newWatermark;
      System.arraycopy(nextInputWatermarks, 0, inputWatermarks, 0, inputWatermarks.length);
      System.arraycopy(input.ended(), 0, inputEnded, 0, inputEnded.length);
      inputRows += batchInput;
      outputRows += batchOutput;
      lateRows += batchLate;
      skippedRows += batchSkipped;
      completedBatches++;
      stats.addLast(new BatchStats(batch, batchTime, Math.max(0, started - batchTime), processing,
          batchInput, batchOutput, batchLate, newWatermark, stages.speculativeTasks() - speculativeBefore,
          stages.speculativeWins() - winsBefore));
      while (stats.size() > STATS_KEPT) {
        stats.removeFirst();
      }
      notifyAll();
    }
    return input.exhausted();
  }

  /** Drops the lineage a complete checkpoint made unnecessary. */
  private synchronized void truncateLineage() {
    lineage.headMap(checkpoints.checkpointedBatch(), true).clear();
  }

  private List<String> liveWorkers() throws InterruptedException {
    List<String> live = transport.workers();
    // Workers may still be (re)joining, after a driver restart for instance: wait a while.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WORKER_WAIT_SECONDS);
    while (live.isEmpty() && System.nanoTime() < deadline && !stopRequested) {
      Thread.sleep(100);
      live = transport.workers();
    }
    if (live.isEmpty()) {
      throw new EngineException(ErrorCode.WORKER_LOST, "No worker is available to run query " + dag.query()
          + " (waited " + WORKER_WAIT_SECONDS + " s); start one with ./dstream worker --driver HOST:PORT");
    }
    return live;
  }

  /** One map task per split, numbered across all inputs; {@code branches} holds each split's input. */
  private List<TaskResult> runMaps(long batch, List<SourceSplit> splits, List<Integer> branches,
      long previousWatermark, long processingTime, List<String> workers)
      throws InterruptedException, ExecutionException {
    List<StageRunner.StageTask> maps = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      maps.add(new StageRunner.StageTask(workers.get(i % workers.size()), new Task.MapTask(dag.query(), batch, i,
          splits.get(i), previousWatermark, branches.get(i), processingTime)));
    }
    return stages.run(maps);
  }

  private static List<BlockLocation> shuffleInputs(List<TaskResult> mapResults, int partition) {
    List<BlockLocation> inputs = new ArrayList<>();
    for (TaskResult r : mapResults) {
      inputs.add(r.blocks().get(partition));
    }
    return inputs;
  }

  /** A reduce partition runs where its state is (locality), or on a worker chosen by hash. */
  private String reduceWorker(int partition, List<String> workers) {
    if (state[partition] != null && workers.contains(state[partition].worker())) {
      return state[partition].worker();
    }
    return workers.get(partition % workers.size());
  }

  /**
   * Recomputes the state partitions held by workers that are gone, in parallel on the live
   * workers: each lost partition is restored from the latest complete checkpoint (when there is
   * one) and then replays the lineage of the batches after it. Runs on the query thread, which
   * is also the only thread that deletes old checkpoints, so the checkpoint read stays in place.
   */
  private void recoverLostState(long batch, List<String> workers) throws Exception {
    List<Integer> lost = new ArrayList<>();
    for (int p = 0; p < dag.partitions(); p++) {
      if (state[p] != null && !workers.contains(state[p].worker())) {
        lost.add(p);
      }
    }
    if (lost.isEmpty()) {
      return;
    }
    long startNanos = System.nanoTime();
    long checkpoint = checkpointedBatch();
    // Lineage holds every batch after the last checkpoint it was truncated at (at most this one).
    NavigableMap<Long, BatchLineage> replay = lineage.tailMap(checkpoint, false);
    LOG.warn("Query {}: recomputing state partitions {} from {} and {} batches of lineage on workers {}",
        dag.query(), lost, checkpoint < 0 ? "the start" : "the checkpoint of batch " + checkpoint, replay.size(),
        workers);
    recompute(lost, checkpoint, replay, workers);
    LOG.warn("Query {}: recovered state partitions {} before batch {} in {} ms", dag.query(), lost, batch,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /**
   * Rebuilds every state partition of a resumed query before its first batch {@code batch}:
   * the latest complete checkpoint plus the lineage after it, replayed without output.
   */
  private void rebuildState(long batch, List<String> workers) throws Exception {
    long startNanos = System.nanoTime();
    long checkpoint = checkpointedBatch();
    NavigableMap<Long, BatchLineage> replay = lineage.tailMap(checkpoint, false);
    for (long b = checkpoint + 1; b < batch; b++) {
      if (!replay.containsKey(b)) {
        throw new EngineException(ErrorCode.INTERNAL_ERROR, "Query " + dag.query() + " cannot resume at batch "
            + batch + ": neither a checkpoint nor the lineage of batch " + b + " was kept");
      }
    }
    List<Integer> all = new ArrayList<>();
    for (int p = 0; p < dag.partitions(); p++) {
      all.add(p);
    }
    recompute(all, checkpoint, replay, workers);
    LOG.info("Query {}: state rebuilt before batch {} from {} and {} batches of lineage in {} ms", dag.query(),
        batch, checkpoint < 0 ? "the start" : "the checkpoint of batch " + checkpoint, replay.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /**
   * Recomputes state partitions {@code partitions} in parallel on {@code workers}: each is
   * restored from the checkpoint of batch {@code checkpoint} (when not -1) and then replays
   * {@code replay}. Runs on the query thread, which is also the only thread that deletes old
   * checkpoints, so the checkpoint read stays in place.
   */
  private void recompute(List<Integer> partitions, long checkpoint, NavigableMap<Long, BatchLineage> replay,
      List<String> workers) throws Exception {
    BlockLocation[] recovered = new BlockLocation[dag.partitions()];
    if (checkpoint >= 0) {
      for (int p : partitions) {
        recovered[p] = transport.restore(workers.get(p % workers.size()),
            new BlockId(dag.query(), checkpoint, BlockId.Kind.STATE, p, 0), dag.stateType(),
            checkpoints.partitionFile(checkpoint, p));
      }
    }
    for (BatchLineage step : replay.values()) {
      long k = step.batch();
      List<TaskResult> maps = runMaps(k, step.splits(), step.branches(), step.previousWatermark(),
          step.processingTime(), workers);
      List<StageRunner.StageTask> reduces = new ArrayList<>();
      for (int p : partitions) {
        reduces.add(new StageRunner.StageTask(workers.get(p % workers.size()), new Task.ReduceTask(dag.query(), k,
            p, shuffleInputs(maps, p), recovered[p], step.watermark(), step.previousWatermark())));
      }
      List<TaskResult> results = stages.run(reduces);
      for (int i = 0; i < partitions.size(); i++) {
        int p = partitions.get(i);
        if (recovered[p] != null) {
          transport.remove(recovered[p]);
        }
        recovered[p] = results.get(i).state();
        results.get(i).blocks().forEach(transport::remove);
      }
      for (TaskResult m : maps) {
        m.blocks().forEach(transport::remove);
        if (m.late() != null) {
          transport.remove(m.late());
        }
      }
    }
    for (int p : partitions) {
      state[p] = recovered[p];
    }
    synchronized (this) {
      recoveredBatches += replay.size();
    }
  }

  /** Hands the late rows of the batch's map tasks to the late-rows handler and frees them. */
  private void deliverLateRows(long batch, List<TaskResult> mapResults, List<Integer> branches) {
    for (int i = 0; i < mapResults.size(); i++) {
      TaskResult r = mapResults.get(i);
      if (r.late() == null) {
        continue;
      }
      int branch = branches.get(i);
      try (ColumnBatch rows = transport.fetch(r.late(), dag.lateType(branch), allocator)) {
        lateRowsHandler.lateRows(dag, dag.branch(branch).scan().stream(), batch, rows);
      } catch (RuntimeException e) {
        LOG.warn("Query {} batch {}: the late rows could not be delivered: {}", dag.query(), batch, e.toString());
      } finally {
        transport.remove(r.late());
      }
    }
  }

  private long commit(long batch, List<BlockLocation> outputs) {
    List<ColumnBatch> parts = new ArrayList<>();
    try {
      long rows = 0;
      for (BlockLocation location : outputs) {
        ColumnBatch part = transport.fetch(location, dag.stageOutputType(), allocator);
        parts.add(part);
        rows += part.rowCount();
      }
      if (rows == 0) {
        return 0;
      }
      List<ColumnBatch> nonEmpty = parts.stream().filter(p -> p.rowCount() > 0).toList();
      if (!dag.driverOperators().isEmpty()) {
        try (ColumnBatch all = Gather.concat(dag.stageOutputType(), nonEmpty, allocator);
             ColumnBatch result = runDriverOperators(all)) {
          if (result.rowCount() > 0) {
            sink.commit(batch, result);
          }
          return result.rowCount();
        }
      }
      if (nonEmpty.size() == 1) {
        sink.commit(batch, nonEmpty.get(0));
      } else {
        try (ColumnBatch all = Gather.concat(dag.outputType(), nonEmpty, allocator)) {
          sink.commit(batch, all);
        }
      }
      return rows;
    } finally {
      parts.forEach(ColumnBatch::close);
    }
  }

  /**
   * Ranks a batch's output on the driver (a top-N over an aggregate's windows, all of whose rows
   * the batch holds) and runs the narrow operators after the ranking; {@code input} stays open.
   */
  private ColumnBatch runDriverOperators(ColumnBatch input) {
    PlanNode.Stateful ranking = (PlanNode.Stateful) dag.driverOperators().get(0);
    StatefulOperator.Reduction ranked = StatefulOperators.of(ranking).reduce(null, List.of(input),
        new StatefulOperator.ReduceContext(Long.MAX_VALUE, Long.MIN_VALUE, allocator));
    ranked.state().close();
    KernelContext context = new KernelContext(allocator, Long.MIN_VALUE);
    List<ColumnBatch> out = new ArrayList<>();
    try {
      for (ColumnBatch window : ranked.outputs()) {
        ColumnBatch current = window;
        for (PlanNode n : dag.driverOperators().subList(1, dag.driverOperators().size())) {
          BatchOperator kernel = n instanceof PlanNode.Filter f ? new FilterKernel(f.condition())
              : new ProjectKernel(((PlanNode.Project) n).expressions(), n.rowType());
          current = kernel.apply(current, context);
        }
        out.add(current);
      }
      return Gather.concat(dag.outputType(), out, allocator);
    } finally {
      out.forEach(ColumnBatch::close);
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof EngineException) {
      return c;
    }
    if (c instanceof OutOfMemoryError || c instanceof org.apache.arrow.memory.OutOfMemoryException) {
      return new EngineException(ErrorCode.RESOURCE_EXHAUSTED, "Out of memory: " + c.getMessage(), c);
    }
    return new EngineException(ErrorCode.INTERNAL_ERROR, "Internal error: " + c, c);
  }

  private synchronized void end(QueryState finalState, Throwable cause) {
    failure = cause;
    queryState = finalState;
    notifyAll();
  }

  private void cleanup() {
    if (checkpoints != null) {
      checkpoints.close();
    }
    // A copy that lost to a speculative copy may still run: let it end and its blocks go first,
    // so that none is written after the query is uninstalled.
    try {
      stages.awaitLosers(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.uninstall(dag.query());
    for (Source source : sources) {
      try {
        source.close();
      } catch (Exception e) {
        LOG.warn("Closing a source of query {} failed", dag.query(), e);
      }
    }
  }

  /** Stops the query and waits for its thread; idempotent. */
  @Override
  public void close() {
    stopRequested = true;
    thread.interrupt();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (queryState == QueryState.RUNNING) {
      end(QueryState.STOPPED, null);
    }
    try {
      sink.close();
    } catch (Exception e) {
      LOG.warn("Closing the sink of query {} failed", dag.query(), e);
    }
    LOG.info("Query {} stopped", dag.query());
  }
}
