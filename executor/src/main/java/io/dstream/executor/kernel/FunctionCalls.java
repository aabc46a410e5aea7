package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.function.BoundFunction;
import io.dstream.executor.function.ValueConverter;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.type.DataType;
import java.util.List;

/**
 * Evaluates calls of user-defined functions: the operands a column at a time, then the bound
 * method once per row. A NULL argument for a primitive parameter makes the row's result NULL
 * without a call; other NULL arguments are passed as null. Stateless and thread-safe.
 */
final class FunctionCalls {
  private FunctionCalls() {}

  /**
   * Binds every function call in {@code expr}, so that a class or method missing on this
   * process fails when a kernel is built (a query is installed), not in the middle of a batch.
   */
  static void bindAll(Expr expr) {
    if (expr instanceof Expr.FunctionCall f) {
      BoundFunction.bind(f.name(), f.className(), f.parameterTypes());
      f.operands().forEach(FunctionCalls::bindAll);
    } else if (expr instanceof Expr.Call call) {
      call.operands().forEach(FunctionCalls::bindAll);
    }
  }

  static Values evaluate(Expr.FunctionCall call, ColumnBatch batch) {
    BoundFunction function = BoundFunction.bind(call.name(), call.className(), call.parameterTypes());
    List<Expr> operands = call.operands();
    int k = operands.size();
    Values[] args = new Values[k];
    ValueConverter[] converters = new ValueConverter[k];
    boolean[] primitive = new boolean[k];
    for (int j = 0; j < k; j++) {
      args[j] = ExpressionEvaluator.evaluate(operands.get(j), batch);
      converters[j] = function.argumentConverter(j, args[j].type);
      primitive[j] = function.primitive(j);
    }
    int n = batch.rowCount();
    DataType type = call.type();
    Values out = new Values(type, n);
    switch (type.physical()) {
      case LONG -> out.longs = new long[n];
      case DOUBLE -> out.doubles = new double[n];
      case BOOLEAN -> out.booleans = new boolean[n];
      case STRING -> out.strings = new String[n];
      default -> throw new IllegalStateException("unknown physical type " + type);
    }
    // The method handle copies the arguments out of the array, so one array serves every row.
    Object[] arguments = new Object[k];
    for (int i = 0; i < n; i++) {
      boolean skip = false;
      for (int j = 0; j < k; j++) {
        if (args[j].isNull(i)) {
          if (primitive[j]) {
            skip = true;
            break;
          }
          arguments[j] = null;
        } else {
          arguments[j] = converters[j].convert(value(args[j], i));
        }
      }
      Object result = skip ? null : function.invoke(call.name(), arguments);
      if (result == null) {
        if (out.nulls == null) {
          out.nulls = new boolean[n];
        }
        out.nulls[i] = true;
        continue;
      }
      switch (type.physical()) {
        case LONG -> out.longs[i] = (Long) result;
        case DOUBLE -> out.doubles[i] = (Double) result;
        case BOOLEAN -> out.booleans[i] = (Boolean) result;
        case STRING -> out.strings[i] = (String) result;
        default -> throw new IllegalStateException("unknown physical type " + type);
      }
    }
    return out;
  }

  private static Object value(Values v, int i) {
    return switch (v.type.physical()) {
      case LONG -> v.longs[i];
      case DOUBLE -> v.doubles[i];
      case BOOLEAN -> v.booleans[i];
      case STRING -> v.string(i);
    };
  }
}
