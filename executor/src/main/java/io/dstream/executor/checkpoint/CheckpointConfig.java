package io.dstream.executor.checkpoint;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where and how often a query's state is checkpointed: every {@code everyBatches} batches, under
 * {@code directory} (one subdirectory per query).
 */
public record CheckpointConfig(Path directory, int everyBatches) {
  /** The default checkpoint period: about this much stream time between two checkpoints. */
  public static final long DEFAULT_PERIOD_MILLIS = 10_000;

  public CheckpointConfig {
    requireNonNull(directory, "directory is null");
    if (everyBatches < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1 batch, was " + everyBatches);
    }
  }

  /** Checkpoints about every {@value #DEFAULT_PERIOD_MILLIS} ms of batches of the given interval. */
  public static CheckpointConfig withDefaultInterval(Path directory, long batchIntervalMillis) {
    return new CheckpointConfig(directory, defaultEveryBatches(batchIntervalMillis));
  }

  /** ceil(10 s / batch interval), at least 1. */
  public static int defaultEveryBatches(long batchIntervalMillis) {
    if (batchIntervalMillis <= 0) {
      throw new IllegalArgumentException("batch interval must be positive, was " + batchIntervalMillis);
    }
    long batches = (DEFAULT_PERIOD_MILLIS + batchIntervalMillis - 1) / batchIntervalMillis;
    return (int) Math.max(1, batches);
  }
}
