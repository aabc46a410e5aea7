package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.type.RowType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;

/** Computes output columns; plain column references share the input's buffers. */
public final class ProjectKernel implements BatchOperator {
  private final List<Expr> expressions;
  private final RowType rowType;
  private final boolean usesProcessingTime;

  public ProjectKernel(List<Expr> expressions, RowType rowType) {
    this.expressions = List.copyOf(expressions);
    this.rowType = rowType;
    this.expressions.forEach(FunctionCalls::bindAll);
    this.usesProcessingTime = this.expressions.stream().anyMatch(ProcessingTime::uses);
  }

  @Override
  public ColumnBatch apply(ColumnBatch input, KernelContext context) {
    List<Expr> expressions = usesProcessingTime ? ProcessingTime.bind(this.expressions, context) : this.expressions;
    try (input) {
      List<FieldVector> out = new ArrayList<>(expressions.size());
      try {
        for (int i = 0; i < expressions.size(); i++) {
          Expr e = expressions.get(i);
          String name = rowType.column(i).name();
          if (e instanceof Expr.InputRef ref
              && input.rowType().type(ref.index()).physical() == rowType.type(i).physical()) {
            out.add(Gather.share(input.vector(ref.index()), context.allocator()));
          } else {
            Values v = ExpressionEvaluator.evaluate(e, input);
            if (v.type.physical() != rowType.type(i).physical()) {
              v = Casts.cast(v, rowType.type(i));
            }
            out.add(v.toVector(name, context.allocator()));
          }
        }
      } catch (RuntimeException ex) {
        out.forEach(FieldVector::close);
        throw ex;
      }
      return new ColumnBatch(rowType, out, input.rowCount());
    }
  }
}
