package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.DataType.Physical;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Evaluates expressions a column at a time: each expression node runs one tight loop over the
 * whole batch, so there is no per-row dispatch. Stateless and thread-safe.
 */
public final class ExpressionEvaluator {
  private ExpressionEvaluator() {}

  static Values evaluate(Expr expr, ColumnBatch batch) {
    if (expr instanceof Expr.InputRef ref) {
      return column(batch.vector(ref.index()), ref.type(), batch.rowCount());
    }
    if (expr instanceof Expr.Literal literal) {
      return literal(literal, batch.rowCount());
    }
    if (expr instanceof Expr.FunctionCall function) {
      return FunctionCalls.evaluate(function, batch);
    }
    return call((Expr.Call) expr, batch);
  }

  static Values column(FieldVector vector, DataType type, int n) {
    switch (type.physical()) {
      case LONG -> {
        BigIntVector v = (BigIntVector) vector;
        long[] out = new long[n];
        boolean[] nulls = null;
        boolean hasNulls = v.getNullCount() > 0;
        for (int i = 0; i < n; i++) {
          if (hasNulls && v.isNull(i)) {
            if (nulls == null) {
              nulls = new boolean[n];
            }
            nulls[i] = true;
          } else {
            out[i] = v.get(i);
          }
        }
        return Values.longs(type, out, nulls);
      }
      case DOUBLE -> {
        Float8Vector v = (Float8Vector) vector;
        double[] out = new double[n];
        boolean[] nulls = null;
        boolean hasNulls = v.getNullCount() > 0;
        for (int i = 0; i < n; i++) {
          if (hasNulls && v.isNull(i)) {
            if (nulls == null) {
              nulls = new boolean[n];
            }
            nulls[i] = true;
          } else {
            out[i] = v.get(i);
          }
        }
        return Values.doubles(type, out, nulls);
      }
      case BOOLEAN -> {
        BitVector v = (BitVector) vector;
        boolean[] out = new boolean[n];
        boolean[] nulls = null;
        for (int i = 0; i < n; i++) {
          if (v.isNull(i)) {
            if (nulls == null) {
              nulls = new boolean[n];
            }
            nulls[i] = true;
          } else {
            out[i] = v.get(i) != 0;
          }
        }
        return Values.booleans(type, out, nulls);
      }
      case STRING -> {
        VarCharVector v = (VarCharVector) vector;
        Values out = new Values(type, n);
        out.stringVector = v;
        if (v.getNullCount() > 0) {
          out.nulls = new boolean[n];
          for (int i = 0; i < n; i++) {
            out.nulls[i] = v.isNull(i);
          }
        }
        return out;
      }
      default -> throw new IllegalStateException();
    }
  }

  private static Values literal(Expr.Literal literal, int n) {
    DataType type = literal.type();
    Object value = literal.value();
    boolean[] nulls = null;
    if (value == null) {
      nulls = new boolean[n];
      java.util.Arrays.fill(nulls, true);
    }
    return switch (type.physical()) {
      case LONG -> {
        long[] out = new long[n];
        if (value != null) {
          java.util.Arrays.fill(out, ((Number) value).longValue());
        }
        yield Values.longs(type, out, nulls);
      }
      case DOUBLE -> {
        double[] out = new double[n];
        if (value != null) {
          java.util.Arrays.fill(out, ((Number) value).doubleValue());
        }
        yield Values.doubles(type, out, nulls);
      }
      case BOOLEAN -> {
        boolean[] out = new boolean[n];
        if (value != null) {
          java.util.Arrays.fill(out, (Boolean) value);
        }
        yield Values.booleans(type, out, nulls);
      }
      case STRING -> {
        String[] out = new String[n];
        if (value != null) {
          java.util.Arrays.fill(out, value.toString());
        }
        yield Values.strings(type, out);
      }
    };
  }

  private static Values call(Expr.Call call, ColumnBatch batch) {
    List<Expr> ops = call.operands();
    Operator op = call.operator();
    return switch (op) {
      case PLUS, MINUS, TIMES, DIVIDE, MOD -> Arithmetic.binary(op, evaluate(ops.get(0), batch),
          evaluate(ops.get(1), batch), call.type());
      case NEGATE -> Arithmetic.negate(evaluate(ops.get(0), batch), call.type());
      case ABS -> Arithmetic.abs(evaluate(ops.get(0), batch), call.type());
      case FLOOR, CEIL -> Arithmetic.floorCeil(op == Operator.FLOOR, evaluate(ops.get(0), batch), call.type());
      case WINDOW_FLOOR -> Arithmetic.windowFloor(evaluate(ops.get(0), batch),
          ((Number) ((Expr.Literal) ops.get(1)).value()).longValue(),
          ops.size() > 2 ? ((Number) ((Expr.Literal) ops.get(2)).value()).longValue() : 0L, call.type());
      case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL ->
          Comparison.compare(op, evaluate(ops.get(0), batch), evaluate(ops.get(1), batch), call.type());
      case AND, OR -> Logic.andOr(op == Operator.AND, ops, batch, call.type());
      case NOT -> Logic.not(evaluate(ops.get(0), batch), call.type());
      case IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE ->
          Logic.is(op, evaluate(ops.get(0), batch), call.type());
      case CASE -> Logic.caseWhen(ops, batch, call.type());
      case COALESCE -> Logic.coalesce(ops, batch, call.type());
      case CAST -> Casts.cast(evaluate(ops.get(0), batch), call.type());
      case LIKE, NOT_LIKE, UPPER, LOWER, CHAR_LENGTH, SUBSTRING, CONCAT, TRIM, POSITION ->
          StringFunctions.apply(op, ops, batch, call.type());
      case PROCTIME -> throw new EngineException(ErrorCode.INTERNAL_ERROR,
          "PROCTIME() reached the evaluator unbound; kernels bind it with ProcessingTime.bind");
    };
  }

  /** Reads values as unscaled longs at {@code scale} decimal digits. */
  static long[] longsAtScale(Values v, int scale) {
    int from = v.type.kind() == Kind.DECIMAL ? v.type.scale() : 0;
    if (v.type.physical() == Physical.DOUBLE) {
      long[] out = new long[v.size];
      double f = Math.pow(10, scale);
      for (int i = 0; i < v.size; i++) {
        out[i] = roundHalfUp(v.doubles[i] * f);
      }
      return out;
    }
    if (v.type.physical() != Physical.LONG) {
      throw new EngineException(ErrorCode.INTERNAL_ERROR, "not numeric: " + v.type);
    }
    if (from == scale) {
      return v.longs;
    }
    long[] out = new long[v.size];
    if (scale > from) {
      long f = pow10(scale - from);
      for (int i = 0; i < v.size; i++) {
        out[i] = v.longs[i] * f;
      }
    } else {
      long f = pow10(from - scale);
      for (int i = 0; i < v.size; i++) {
        out[i] = divideRoundHalfUp(v.longs[i], f);
      }
    }
    return out;
  }

  /** Rounds half away from zero, as decimal rescaling does (Math.round rounds -2.5 to -2). */
  static long roundHalfUp(double d) {
    return d < 0 ? -Math.round(-d) : Math.round(d);
  }

  static double[] asDoubles(Values v) {
    if (v.type.physical() == Physical.DOUBLE) {
      return v.doubles;
    }
    double[] out = new double[v.size];
    if (v.type.kind() == Kind.DECIMAL && v.type.scale() > 0) {
      double f = Math.pow(10, v.type.scale());
      for (int i = 0; i < v.size; i++) {
        out[i] = v.longs[i] / f;
      }
    } else {
      for (int i = 0; i < v.size; i++) {
        out[i] = v.longs[i];
      }
    }
    return out;
  }

  static long divideRoundHalfUp(long value, long divisor) {
    long q = value / divisor;
    long r = value % divisor;
    if (Math.abs(r) * 2 >= divisor) {
      q += value < 0 ? -1 : 1;
    }
    return q;
  }

  static long pow10(int n) {
    long r = 1;
    for (int i = 0; i < n; i++) {
      r *= 10;
    }
    return r;
  }

  static boolean[] mergeNulls(boolean[] a, boolean[] b, int n) {
    if (a == null) {
      return b == null ? null : b.clone();
    }
    boolean[] out = a.clone();
    if (b != null) {
      for (int i = 0; i < n; i++) {
        out[i] |= b[i];
      }
    }
    return out;
  }

  static int scaleOf(DataType type) {
    return type.kind() == Kind.DECIMAL ? type.scale() : 0;
  }
}
