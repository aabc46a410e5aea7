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
}
