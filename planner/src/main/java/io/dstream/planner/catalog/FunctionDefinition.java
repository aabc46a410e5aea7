package io.dstream.planner.catalog;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.function.EvalMethod;
import java.util.List;

/**
 * A user-defined scalar function: its SQL name, the Java class implementing it and that class's
 * {@code eval} methods (overloads), as found when the function was created.
 */
public record FunctionDefinition(String name, String className, List<EvalMethod> methods) {
  public FunctionDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(className, "className is null");
    methods = List.copyOf(methods);
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("function " + name + " has no eval method");
    }
  }
}
