package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import java.util.ArrayList;
import java.util.List;

/** Three-valued boolean logic, null tests, CASE and COALESCE, a column at a time. */
final class Logic {
  private Logic() {}

  static Values andOr(boolean and, List<Expr> operands, ColumnBatch batch, DataType type) {
    int n = batch.rowCount();
    boolean[] value = new boolean[n];
    boolean[] unknown = new boolean[n];
    java.util.Arrays.fill(value, and);
    for (Expr operand : operands) {
      Values v = ExpressionEvaluator.evaluate(operand, batch);
      for (int i = 0; i < n; i++) {
        if (v.isNull(i)) {
          unknown[i] = true;
        } else if (v.booleans[i] != and) {
          value[i] = !and;
        }
      }
    }
    boolean[] nulls = null;
    for (int i = 0; i < n; i++) {
      if (unknown[i] && value[i] == and) {
        if (nulls == null) {
          nulls = new boolean[n];
        }
        nulls[i] = true;
      }
    }
    return Values.booleans(type, value, nulls);
  }

  static Values not(Values a, DataType type) {
    boolean[] out = new boolean[a.size];
    for (int i = 0; i < a.size; i++) {
      out[i] = !a.booleans[i];
    }
    return Values.booleans(type, out, a.nulls);
  }

  static Values is(Operator op, Values a, DataType type) {
    boolean[] out = new boolean[a.size];
    for (int i = 0; i < a.size; i++) {
      boolean isNull = a.isNull(i);
      out[i] = switch (op) {
        case IS_NULL -> isNull;
        case IS_NOT_NULL -> !isNull;
        case IS_TRUE -> !isNull && a.booleans[i];
        case IS_NOT_TRUE -> isNull || !a.booleans[i];
        case IS_FALSE -> !isNull && !a.booleans[i];
        case IS_NOT_FALSE -> isNull || a.booleans[i];
        default -> throw new IllegalStateException(op.name());
      };
    }
    return Values.booleans(type, out, null);
  }

  /** CASE WHEN c1 THEN v1 ... ELSE e END: the first true condition picks the row's value. */
  static Values caseWhen(List<Expr> operands, ColumnBatch batch, DataType type) {
    int n = batch.rowCount();
    int[] branch = new int[n];
    int branches = operands.size() / 2;
    java.util.Arrays.fill(branch, branches);
    for (int b = branches - 1; b >= 0; b--) {
      Values cond = ExpressionEvaluator.evaluate(operands.get(2 * b), batch);
      for (int i = 0; i < n; i++) {
        if (!cond.isNull(i) && cond.booleans[i]) {
          branch[i] = b;
        }
      }
    }
    List<Values> results = new ArrayList<>();
    for (int b = 0; b < branches; b++) {
      results.add(Casts.cast(ExpressionEvaluator.evaluate(operands.get(2 * b + 1), batch), type));
    }
    results.add(Casts.cast(ExpressionEvaluator.evaluate(operands.get(operands.size() - 1), batch), type));
    return select(results, branch, type, n);
  }

  static Values coalesce(List<Expr> operands, ColumnBatch batch, DataType type) {
    int n = batch.rowCount();
    List<Values> results = new ArrayList<>();
    for (Expr operand : operands) {
      results.add(Casts.cast(ExpressionEvaluator.evaluate(operand, batch), type));
    }
    int[] branch = new int[n];
    for (int i = 0; i < n; i++) {
      int b = 0;
      while (b < results.size() - 1 && results.get(b).isNull(i)) {
        b++;
      }
      branch[i] = b;
    }
    return select(results, branch, type, n);
  }

  private static Values select(List<Values> results, int[] branch, DataType type, int n) {
    boolean[] nulls = new boolean[n];
    boolean anyNull = false;
    for (int i = 0; i < n; i++) {
      nulls[i] = results.get(branch[i]).isNull(i);
      anyNull |= nulls[i];
    }
    boolean[] nullsOrNone = anyNull ? nulls : null;
    switch (type.physical()) {
      case LONG -> {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) { out[i] = results.get(branch[i]).longs[i]; }
        return Values.longs(type, out, nullsOrNone);
      }
      case DOUBLE -> {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) { out[i] = results.get(branch[i]).doubles[i]; }
        return Values.doubles(type, out, nullsOrNone);
      }
      case BOOLEAN -> {
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) { out[i] = results.get(branch[i]).booleans[i]; }
        return Values.booleans(type, out, nullsOrNone);
      }
      default -> {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) { out[i] = results.get(branch[i]).string(i); }
        return Values.strings(type, out);
      }
    }
  }
}
