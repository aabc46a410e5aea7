package io.dstream.executor.scheduler;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When a stage backs up a straggling task with a speculative copy on another worker: once at
 * least {@code quantile} of the stage's tasks finished (rounded down, and at least one), a task
 * still running longer than {@code multiplier} times the median duration of the finished ones,
 * and longer than {@code minimumRuntime}, gets one copy; the first result wins.
 */
public record SpeculationConfig(boolean enabled, double multiplier, double quantile, Duration minimumRuntime) {
  public static final double DEFAULT_MULTIPLIER = 1.4;
  public static final double DEFAULT_QUANTILE = 0.75;
  public static final Duration DEFAULT_MINIMUM_RUNTIME = Duration.ofMillis(50);

  public SpeculationConfig {
    requireNonNull(minimumRuntime, "minimumRuntime is null");
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("speculation multiplier must be at least 1, was " + multiplier);
    }
    if (!(quantile > 0.0 && quantile <= 1.0)) {
      throw new IllegalArgumentException("speculation quantile must be in (0, 1], was " + quantile);
    }
    if (minimumRuntime.isNegative()) {
      throw new IllegalArgumentException("speculation minimum runtime must not be negative, was " + minimumRuntime);
    }
  }

  /** Speculation on, with the defaults of the paper: 1.4x the median, once 75% are done. */
  public static SpeculationConfig defaults() {
    return new SpeculationConfig(true, DEFAULT_MULTIPLIER, DEFAULT_QUANTILE, DEFAULT_MINIMUM_RUNTIME);
  }

  /** The defaults, but never speculating. */
  public static SpeculationConfig disabled() {
    return defaults().withEnabled(false);
  }

  public SpeculationConfig withEnabled(boolean value) {
    return new SpeculationConfig(value, multiplier, quantile, minimumRuntime);
  }

  /** How many finished tasks of a stage of {@code tasks} allow speculation (at least 1). */
  int minimumFinished(int tasks) {
    return Math.max(1, (int) Math.floor(quantile * tasks));
  }

  /** How long a task may run before it is a straggler, given its finished siblings' median. */
  long thresholdNanos(long medianNanos) {
    return Math.max((long) (multiplier * medianNanos), minimumRuntime.toNanos());
  }
}
