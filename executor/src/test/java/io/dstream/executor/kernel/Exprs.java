package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import java.math.BigDecimal;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** Test helper: short builders for typed expressions, and evaluation through ProjectKernel. */
final class Exprs {
  private Exprs() {}

  static Expr.InputRef ref(int index, DataType type) {
    return new Expr.InputRef(index, type);
  }

  static Expr.Literal lit(Object value, DataType type) {
    return new Expr.Literal(TestBatches.physical(value, type), type);
  }

  /** A DECIMAL literal typed by its text: {@code decLit("0.908")} is DECIMAL(4, 3). */
  static Expr.Literal decLit(String text) {
    BigDecimal d = new BigDecimal(text);
    return new Expr.Literal(d.unscaledValue().longValueExact(),
        DataType.decimal(Math.max(d.precision(), d.scale()), d.scale()));
  }

  static Expr.Call call(Operator op, DataType type, Expr... operands) {
    return new Expr.Call(op, List.of(operands), type);
  }

  static Expr.Call cast(Expr operand, DataType type) {
    return call(Operator.CAST, type, operand);
  }

  static DataType decimal(int precision, int scale) {
    return DataType.decimal(precision, scale);
  }

  static DataType kind(Kind kind) {
    return DataType.of(kind);
  }

  /** Evaluates {@code e} over {@code input} (consumed) as a one-column projection. */
  static List<Object> evaluate(Expr e, ColumnBatch input, BufferAllocator allocator) {
    RowType out = new RowType(List.of(new Column("e", e.type())));
    try (ColumnBatch result = new ProjectKernel(List.of(e), out)
        .apply(input, new KernelContext(allocator, Long.MIN_VALUE))) {
      return TestBatches.values(result, 0);
    }
  }
}
