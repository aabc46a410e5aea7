package io.dstream.executor.time;

/**
 * The engine's source of processing time. Batch boundaries are taken from it, so a manual clock
 * makes them deterministic in tests. Implementations are thread-safe.
 */
public interface Clock {
  /** Current time in milliseconds since the epoch. */
  long millis();

  /** Blocks until {@link #millis()} is at least {@code deadline}; interruptible. */
  void waitUntil(long deadline) throws InterruptedException;
}
