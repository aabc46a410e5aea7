package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.Expr;

/** Keeps the rows whose condition is TRUE (not FALSE, not NULL). */
public final class FilterKernel implements BatchOperator {
  private final Expr condition;
  private final boolean usesProcessingTime;

  public FilterKernel(Expr condition) {
    this.condition = condition;
    FunctionCalls.bindAll(condition);
    this.usesProcessingTime = ProcessingTime.uses(condition);
  }

  @Override
  public ColumnBatch apply(ColumnBatch input, KernelContext context) {
    try (input) {
      Values v = ExpressionEvaluator.evaluate(
          usesProcessingTime ? ProcessingTime.bind(condition, context) : condition, input);
      int n = input.rowCount();
      int[] selection = new int[n];
      int count = 0;
      boolean[] nulls = v.nulls;
      boolean[] values = v.booleans;
      for (int i = 0; i < n; i++) {
        selection[count] = i;
        count += (values[i] && (nulls == null || !nulls[i])) ? 1 : 0;
      }
      context.keep(selection, count);
      if (count == n) {
        return Gather.share(input, context.allocator());
      }
      return Gather.take(input, selection, count, context.allocator());
    }
  }
}
