package io.dstream.executor.plan;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.DataType;

/**
 * One aggregate of a GROUP BY: {@code argument} is an input column, or -1 for COUNT(*).
 * {@code filter} is a BOOLEAN input column, or -1: with one (SQL's {@code FILTER (WHERE ...)}),
 * only the rows where it is TRUE are aggregated; a group whose rows all fail it still exists,
 * with COUNT 0 and other aggregates NULL. A {@code distinct} aggregate (COUNT, SUM or AVG)
 * aggregates each distinct non-NULL argument value of its group once.
 */
public record AggregateCall(Kind kind, int argument, DataType argumentType, DataType resultType, String name,
    int filter, boolean distinct) {
  /** Aggregate functions, each with an accumulator of two columns: a value and a count. */
  public enum Kind { COUNT, SUM, MIN, MAX, AVG }

  public AggregateCall {
    requireNonNull(kind, "kind is null");
    requireNonNull(resultType, "resultType is null");
    requireNonNull(name, "name is null");
    if (filter < -1) {
      throw new IllegalArgumentException("filter column must be -1 or an input column, was " + filter);
    }
    if (distinct && argument < 0) {
      throw new IllegalArgumentException("a DISTINCT aggregate needs an argument column");
    }
  }

  /** An aggregate over every row of its group. */
  public AggregateCall(Kind kind, int argument, DataType argumentType, DataType resultType, String name) {
    this(kind, argument, argumentType, resultType, name, -1, false);
  }

  /** An aggregate over the rows of its group where {@code filter} is TRUE (or all, for -1). */
  public AggregateCall(Kind kind, int argument, DataType argumentType, DataType resultType, String name,
      int filter) {
    this(kind, argument, argumentType, resultType, name, filter, false);
  }

  public boolean hasFilter() {
    return filter >= 0;
  }
}
