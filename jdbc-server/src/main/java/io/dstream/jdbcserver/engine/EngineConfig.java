package io.dstream.jdbcserver.engine;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.checkpoint.CheckpointConfig;
import io.dstream.executor.scheduler.SpeculationConfig;
import io.dstream.executor.time.Clock;
import io.dstream.executor.time.SystemClock;

/**
 * How an engine is set up: number of in-process workers, task slots per worker, the batch
 * interval, the clock that cuts batches, for cluster mode ({@code cluster} not null) where
 * the driver listens for worker processes, when straggling tasks get a speculative copy, and
 * where and how often the state of stateful queries is checkpointed ({@code checkpoint} null:
 * never, and lineage grows with each query), and how many rows a push query buffers for a client
 * that reads slower than the query produces before the query is stopped.
 */
public record EngineConfig(int workers, int coresPerWorker, long batchIntervalMillis, Clock clock,
    Cluster cluster, SpeculationConfig speculation, CheckpointConfig checkpoint, int pushBufferRows) {

  /** Cluster mode: the driver's address for workers and the secret they must present. */
  public record Cluster(String host, int driverPort, String secret) {
    public Cluster {
      requireNonNull(host, "host is null");
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException(
            "cluster mode needs a shared secret: --secret or the DSTREAM_SECRET environment variable");
      }
    }

    @Override
    public String toString() {
      return "Cluster[" + host + ":" + driverPort + "]";
    }
  }

  public EngineConfig(int workers, int coresPerWorker, long batchIntervalMillis, Clock clock) {
    this(workers, coresPerWorker, batchIntervalMillis, clock, null);
  }

  public EngineConfig(int workers, int coresPerWorker, long batchIntervalMillis, Clock clock, Cluster cluster) {
    this(workers, coresPerWorker, batchIntervalMillis, clock, cluster, SpeculationConfig.defaults());
  }

  public EngineConfig(int workers, int coresPerWorker, long batchIntervalMillis, Clock clock, Cluster cluster,
      SpeculationConfig speculation) {
    this(workers, coresPerWorker, batchIntervalMillis, clock, cluster, speculation, null);
  }

  public EngineConfig(int workers, int coresPerWorker, long batchIntervalMillis, Clock clock, Cluster cluster,
      SpeculationConfig speculation, CheckpointConfig checkpoint) {
    this(workers, coresPerWorker, batchIntervalMillis, clock, cluster, speculation, checkpoint,
        DEFAULT_PUSH_BUFFER_ROWS);
  }

  public static final int DEFAULT_WORKERS = 2;
  /** Rows a push query holds for its client before it is stopped as too slow a reader. */
  public static final int DEFAULT_PUSH_BUFFER_ROWS = 100_000;
  public static final long DEFAULT_BATCH_INTERVAL_MILLIS = 1000;

  public EngineConfig {
    requireNonNull(clock, "clock is null");
    requireNonNull(speculation, "speculation is null");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, was " + workers);
    }
    if (coresPerWorker < 1) {
      throw new IllegalArgumentException("coresPerWorker must be at least 1, was " + coresPerWorker);
    }
    if (batchIntervalMillis < 10) {
      throw new IllegalArgumentException("batch interval must be at least 10 ms, was " + batchIntervalMillis);
    }
    if (pushBufferRows < 1) {
      throw new IllegalArgumentException("pushBufferRows must be at least 1, was " + pushBufferRows);
    }
  }

  public static EngineConfig defaults() {
    return new EngineConfig(DEFAULT_WORKERS, 1, DEFAULT_BATCH_INTERVAL_MILLIS, SystemClock.INSTANCE);
  }

  public EngineConfig withWorkers(int value) {
    return new EngineConfig(value, coresPerWorker, batchIntervalMillis, clock, cluster, speculation, checkpoint, pushBufferRows);
  }

  public EngineConfig withBatchIntervalMillis(long value) {
    return new EngineConfig(workers, coresPerWorker, value, clock, cluster, speculation, checkpoint, pushBufferRows);
  }

  public EngineConfig withClock(Clock value) {
    return new EngineConfig(workers, coresPerWorker, batchIntervalMillis, value, cluster, speculation, checkpoint, pushBufferRows);
  }

  public EngineConfig withCluster(Cluster value) {
    return new EngineConfig(workers, coresPerWorker, batchIntervalMillis, clock, value, speculation, checkpoint, pushBufferRows);
  }

  public EngineConfig withSpeculation(SpeculationConfig value) {
    return new EngineConfig(workers, coresPerWorker, batchIntervalMillis, clock, cluster, value, checkpoint, pushBufferRows);
  }

  /** Checkpoints of every stateful query's state as {@code value} says; null: none. */
  public EngineConfig withCheckpoint(CheckpointConfig value) {
    return new EngineConfig(workers, coresPerWorker, batchIntervalMillis, clock, cluster, speculation, value, pushBufferRows);
  }

  /** A push query whose client has not read {@code value} rows yet is stopped. */
  public EngineConfig withPushBufferRows(int value) {
    return new EngineConfig(workers, coresPerWorker, batchIntervalMillis, clock, cluster, speculation, checkpoint, value);
  }
}
