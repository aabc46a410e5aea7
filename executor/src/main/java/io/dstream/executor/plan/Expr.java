package io.dstream.executor.plan;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.type.DataType;
import java.util.List;

/**
 * A scalar expression over the columns of an operator's input, already typed by the planner.
 * Literal values use the physical Java form of their type: Long, Double, Boolean, String, or
 * null for SQL NULL.
 */
public sealed interface Expr {
  DataType type();

  /** The value of input column {@code index}. */
  record InputRef(int index, DataType type) implements Expr {
    public InputRef {
      requireNonNull(type, "type is null");
    }
  }

  /** A constant. */
  record Literal(Object value, DataType type) implements Expr {
    public Literal {
      requireNonNull(type, "type is null");
    }
  }

  /** An operator applied to operands; {@code type} is the result type. */
  record Call(Operator operator, List<Expr> operands, DataType type) implements Expr {
    public Call {
      requireNonNull(operator, "operator is null");
      operands = List.copyOf(operands);
      requireNonNull(type, "type is null");
    }
  }

  /**
   * A call of a user-defined scalar function {@code name}: the public method {@code eval} of
   * class {@code className} whose parameter types are {@code parameterTypes} (Java type names,
   * as {@link Class#getName()} spells them), loaded by name on each worker. Each operand's type
   * is one the parameter accepts; {@code type} is the SQL type of the method's return type.
   */
  record FunctionCall(String name, String className, List<String> parameterTypes, List<Expr> operands,
      DataType type) implements Expr {
    public FunctionCall {
      requireNonNull(name, "name is null");
      requireNonNull(className, "className is null");
      parameterTypes = List.copyOf(parameterTypes);
      operands = List.copyOf(operands);
      requireNonNull(type, "type is null");
      if (parameterTypes.size() != operands.size()) {
        throw new IllegalArgumentException("function " + name + " takes " + parameterTypes.size()
            + " arguments, not " + operands.size());
      }
    }
  }
}
