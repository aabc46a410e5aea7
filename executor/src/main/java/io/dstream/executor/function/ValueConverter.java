package io.dstream.executor.function;

/** Converts one non-null value between the engine's physical form and a Java type of a function. */
@FunctionalInterface
public interface ValueConverter {
  /** The identity, for types whose physical form is what the method takes or returns. */
  ValueConverter IDENTITY = v -> v;

  Object convert(Object value);
}
