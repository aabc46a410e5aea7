package io.dstream.executor.plan;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.DataType;

/** One aggregate of a GROUP BY: {@code argument} is an input column, or -1 for COUNT(*). */
public record AggregateCall(Kind kind, int argument, DataType argumentType, DataType resultType, String name) {
  /** Aggregate functions, each with an accumulator of two columns: a value and a count. */
  public enum Kind { COUNT, SUM, MIN, MAX, AVG }

  public AggregateCall {
    requireNonNull(kind, "kind is null");
    requireNonNull(resultType, "resultType is null");
    requireNonNull(name, "name is null");
  }
}
