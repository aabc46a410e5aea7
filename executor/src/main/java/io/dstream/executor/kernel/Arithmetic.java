package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.ExpressionEvaluator.asDoubles;
import static io.dstream.executor.kernel.ExpressionEvaluator.divideRoundHalfUp;
import static io.dstream.executor.kernel.ExpressionEvaluator.longsAtScale;
import static io.dstream.executor.kernel.ExpressionEvaluator.mergeNulls;
import static io.dstream.executor.kernel.ExpressionEvaluator.pow10;
import static io.dstream.executor.kernel.ExpressionEvaluator.scaleOf;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Physical;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Column-at-a-time arithmetic on longs (integers, decimals, times) and doubles. */
final class Arithmetic {
  private Arithmetic() {}

  static Values binary(Operator op, Values a, Values b, DataType type) {
    int n = a.size;
    boolean[] nulls = mergeNulls(a.nulls, b.nulls, n);
    if (type.physical() == Physical.DOUBLE) {
      double[] x = asDoubles(a);
      double[] y = asDoubles(b);
      double[] out = new double[n];
      switch (op) {
        case PLUS -> { for (int i = 0; i < n; i++) { out[i] = x[i] + y[i]; } }
        case MINUS -> { for (int i = 0; i < n; i++) { out[i] = x[i] - y[i]; } }
        case TIMES -> { for (int i = 0; i < n; i++) { out[i] = x[i] * y[i]; } }
        case DIVIDE -> { for (int i = 0; i < n; i++) { out[i] = x[i] / y[i]; } }
        case MOD -> { for (int i = 0; i < n; i++) { out[i] = x[i] % y[i]; } }
        default -> throw new IllegalStateException(op.name());
      }
      return Values.doubles(type, out, nulls);
    }
    if (type.physical() != Physical.LONG) {
      throw new EngineException(ErrorCode.UNSUPPORTED, "arithmetic on " + type + " is not supported");
    }
    int scale = scaleOf(type);
    long[] out = new long[n];
    if ((op == Operator.PLUS || op == Operator.MINUS) && isDateTime(type)) {
      return dateTimeArithmetic(op, a, b, type, nulls);
    }
    switch (op) {
      case PLUS, MINUS -> {
        long[] x = longsAtScale(a, scale);
        long[] y = longsAtScale(b, scale);
        if (op == Operator.PLUS) {
          for (int i = 0; i < n; i++) { out[i] = x[i] + y[i]; }
        } else {
          for (int i = 0; i < n; i++) { out[i] = x[i] - y[i]; }
        }
      }
      case TIMES -> {
        int sa = scaleOf(a.type);
        int sb = scaleOf(b.type);
        long[] x = longsAtScale(a, sa);
        long[] y = longsAtScale(b, sb);
        int raw = sa + sb;
        for (int i = 0; i < n; i++) {
          long hi = Math.multiplyHigh(x[i], y[i]);
          long lo = x[i] * y[i];
          if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            out[i] = raw == scale ? lo : raw > scale ? divideRoundHalfUp(lo, pow10(raw - scale))
                : Math.multiplyExact(lo, pow10(scale - raw));
          } else if (nulls == null || !nulls[i]) {
            // The exact product needs more than 64 bits; the rescaled result may still fit.
            out[i] = BigDecimal.valueOf(x[i], sa).multiply(BigDecimal.valueOf(y[i], sb))
                .setScale(scale, RoundingMode.HALF_UP).unscaledValue().longValueExact();
          }
        }
      }
      case DIVIDE -> {
        if (scale == 0 && scaleOf(a.type) == 0 && scaleOf(b.type) == 0) {
          long[] x = a.longs;
          long[] y = b.longs;
          for (int i = 0; i < n; i++) {
            if (nulls == null || !nulls[i]) {
              if (y[i] == 0) {
                throw divisionByZero();
              }
              out[i] = x[i] / y[i];
            }
          }
        } else {
          for (int i = 0; i < n; i++) {
            if (nulls == null || !nulls[i]) {
              BigDecimal x = BigDecimal.valueOf(a.longs[i], scaleOf(a.type));
              BigDecimal y = BigDecimal.valueOf(b.longs[i], scaleOf(b.type));
              if (y.signum() == 0) {
                throw divisionByZero();
              }
              out[i] = x.divide(y, scale, RoundingMode.HALF_UP).unscaledValue().longValue();
            }
          }
        }
      }
      case MOD -> {
        long[] x = longsAtScale(a, scale);
        long[] y = longsAtScale(b, scale);
        for (int i = 0; i < n; i++) {
          if (nulls == null || !nulls[i]) {
            if (y[i] == 0) {
              throw divisionByZero();
            }
            out[i] = x[i] % y[i];
          }
        }
      }
      default -> throw new IllegalStateException(op.name());
    }
    return Values.longs(type, out, nulls);
  }

  private static boolean isDateTime(DataType type) {
    return type.kind() == DataType.Kind.TIMESTAMP || type.kind() == DataType.Kind.DATE;
  }

  /** TIMESTAMP or DATE plus or minus a day-time (millis) or year-month (months) interval. */
  private static Values dateTimeArithmetic(Operator op, Values a, Values b, DataType type, boolean[] nulls) {
    Values time = isDateTime(a.type) ? a : b;
    Values interval = time == a ? b : a;
    int n = a.size;
    long sign = op == Operator.MINUS ? -1 : 1;
    long[] out = new long[n];
    boolean date = time.type.kind() == DataType.Kind.DATE;
    if (interval.type.kind() == DataType.Kind.INTERVAL_YEAR_MONTH) {
      for (int i = 0; i < n; i++) {
        long millis = date ? time.longs[i] * 86_400_000L : time.longs[i];
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000),
            (int) Math.floorMod(millis, 1000) * 1_000_000, java.time.ZoneOffset.UTC);
        long shifted = t.plusMonths(sign * interval.longs[i]).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        out[i] = date ? Math.floorDiv(shifted, 86_400_000L) : shifted;
      }
    } else if (interval.type.kind() == DataType.Kind.INTERVAL_DAY_TIME) {
      for (int i = 0; i < n; i++) {
        long delta = sign * interval.longs[i];
        out[i] = date ? time.longs[i] + Math.floorDiv(delta, 86_400_000L) : time.longs[i] + delta;
      }
    } else {
      throw new EngineException(ErrorCode.UNSUPPORTED, "Arithmetic " + op + " of " + a.type + " and " + b.type);
    }
    return Values.longs(type, out, nulls);
  }

  private static EngineException divisionByZero() {
    return new EngineException(ErrorCode.BAD_INPUT_DATA, "Division by zero");
  }

  static Values negate(Values a, DataType type) {
    if (type.physical() == Physical.DOUBLE) {
      double[] x = asDoubles(a);
      double[] out = new double[a.size];
      for (int i = 0; i < a.size; i++) { out[i] = -x[i]; }
      return Values.doubles(type, out, a.nulls);
    }
    long[] x = longsAtScale(a, scaleOf(type));
    long[] out = new long[a.size];
    for (int i = 0; i < a.size; i++) { out[i] = -x[i]; }
    return Values.longs(type, out, a.nulls);
  }

  static Values abs(Values a, DataType type) {
    if (type.physical() == Physical.DOUBLE) {
      double[] x = asDoubles(a);
      double[] out = new double[a.size];
      for (int i = 0; i < a.size; i++) { out[i] = Math.abs(x[i]); }
      return Values.doubles(type, out, a.nulls);
    }
    long[] x = longsAtScale(a, scaleOf(type));
    long[] out = new long[a.size];
    for (int i = 0; i < a.size; i++) { out[i] = Math.abs(x[i]); }
    return Values.longs(type, out, a.nulls);
  }

  static Values floorCeil(boolean floor, Values a, DataType type) {
    if (type.physical() == Physical.DOUBLE) {
      double[] x = asDoubles(a);
      double[] out = new double[a.size];
      for (int i = 0; i < a.size; i++) { out[i] = floor ? Math.floor(x[i]) : Math.ceil(x[i]); }
      return Values.doubles(type, out, a.nulls);
    }
    int from = scaleOf(a.type);
    long f = pow10(from);
    long[] out = new long[a.size];
    for (int i = 0; i < a.size; i++) {
      long v = a.longs[i];
      long q = floor ? Math.floorDiv(v, f) : -Math.floorDiv(-v, f);
      out[i] = q;
    }
    Values whole = Values.longs(DataType.decimal(19, 0), out, a.nulls);
    return Values.longs(type, longsAtScale(whole, scaleOf(type)), a.nulls);
  }

  /** Start of the window of length {@code size} (shifted by {@code offset}) containing each time. */
  static Values windowFloor(Values a, long size, long offset, DataType type) {
    long[] out = new long[a.size];
    for (int i = 0; i < a.size; i++) {
      out[i] = Math.floorDiv(a.longs[i] - offset, size) * size + offset;
    }
    return Values.longs(type, out, a.nulls);
  }
}
