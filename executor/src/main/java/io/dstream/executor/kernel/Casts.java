package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.ExpressionEvaluator.asDoubles;
import static io.dstream.executor.kernel.ExpressionEvaluator.longsAtScale;
import static io.dstream.executor.kernel.ExpressionEvaluator.scaleOf;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.DataType.Physical;
import io.dstream.executor.type.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** CAST between the engine's types, a column at a time. */
final class Casts {
  private Casts() {}

  static Values cast(Values a, DataType type) {
    if (a.type.kind() == type.kind() && scaleOf(a.type) == scaleOf(type)) {
      return a.type.equals(type) ? a : retype(a, type);
    }
    int n = a.size;
    Physical from = a.type.physical();
    switch (type.physical()) {
      case LONG -> {
        if (from == Physical.STRING) {
          long[] out = new long[n];
          for (int i = 0; i < n; i++) {
            if (!a.isNull(i)) {
              out[i] = parseLong(a.string(i).trim(), type);
            }
          }
          return Values.longs(type, out, a.nulls);
        }
        if (from == Physical.BOOLEAN) {
          long[] out = new long[n];
          for (int i = 0; i < n; i++) { out[i] = a.booleans[i] ? 1 : 0; }
          return Values.longs(type, out, a.nulls);
        }
        if (type.kind() == Kind.DECIMAL) {
          return Values.longs(type, longsAtScale(a, type.scale()), a.nulls);
        }
        if (from == Physical.DOUBLE) {
          long[] out = new long[n];
          for (int i = 0; i < n; i++) { out[i] = (long) a.doubles[i]; }
          return Values.longs(type, out, a.nulls);
        }
        if (a.type.kind() == Kind.DECIMAL) {
          long f = ExpressionEvaluator.pow10(a.type.scale());
          long[] out = new long[n];
          for (int i = 0; i < n; i++) { out[i] = a.longs[i] / f; }
          return Values.longs(type, out, a.nulls);
        }
        if (a.type.kind() == Kind.TIMESTAMP && type.kind() == Kind.DATE) {
          long[] out = new long[n];
          for (int i = 0; i < n; i++) { out[i] = Math.floorDiv(a.longs[i], 86_400_000L); }
          return Values.longs(type, out, a.nulls);
        }
        if (a.type.kind() == Kind.DATE && type.kind() == Kind.TIMESTAMP) {
          long[] out = new long[n];
          for (int i = 0; i < n; i++) { out[i] = a.longs[i] * 86_400_000L; }
          return Values.longs(type, out, a.nulls);
        }
        return retype(a, type);
      }
      case DOUBLE -> {
        if (from == Physical.STRING) {
          double[] out = new double[n];
          for (int i = 0; i < n; i++) {
            if (!a.isNull(i)) {
              try {
                out[i] = Double.parseDouble(a.string(i).trim());
              } catch (NumberFormatException e) {
                throw badCast(a.string(i), type);
              }
            }
          }
          return Values.doubles(type, out, a.nulls);
        }
        return Values.doubles(type, asDoubles(a), a.nulls);
      }
      case BOOLEAN -> {
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
          if (a.isNull(i)) {
            continue;
          }
          out[i] = switch (from) {
            case STRING -> parseBoolean(a.string(i), type);
            case LONG -> a.longs[i] != 0;
            case DOUBLE -> a.doubles[i] != 0;
            case BOOLEAN -> a.booleans[i];
          };
        }
        return Values.booleans(type, out, a.nulls);
      }
      case STRING -> {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
          out[i] = a.isNull(i) ? null : format(a, i);
        }
        return Values.strings(type, out);
      }
      default -> throw new IllegalStateException();
    }
  }

  private static Values retype(Values a, DataType type) {
    Values v = new Values(type, a.size);
    v.longs = a.longs;
    v.doubles = a.doubles;
    v.booleans = a.booleans;
    v.strings = a.strings;
    v.stringVector = a.stringVector;
    v.nulls = a.nulls;
    return v;
  }

  /** The SQL text of one value, as CAST(x AS VARCHAR) gives it. */
  static String format(Values a, int i) {
    DataType t = a.type;
    return switch (t.kind()) {
      case BOOLEAN -> a.booleans[i] ? "TRUE" : "FALSE";
      case DECIMAL -> BigDecimal.valueOf(a.longs[i], t.scale()).toPlainString();
      case REAL, DOUBLE -> Double.toString(a.doubles[i]);
      case VARCHAR, CHAR -> a.string(i);
      case TIMESTAMP -> Timestamps.format(a.longs[i]);
      case DATE -> Timestamps.formatDate(a.longs[i]);
      default -> Long.toString(a.longs[i]);
    };
  }

  private static long parseLong(String s, DataType type) {
    try {
      return switch (type.kind()) {
        case DECIMAL -> new BigDecimal(s).setScale(type.scale(), RoundingMode.HALF_UP).unscaledValue().longValueExact();
        case TIMESTAMP -> Timestamps.parseMillis(s);
        case DATE -> Timestamps.parseDate(s);
        default -> Long.parseLong(s);
      };
    } catch (RuntimeException e) {
      throw badCast(s, type);
    }
  }

  private static boolean parseBoolean(String s, DataType type) {
    String t = s.trim();
    if (t.equalsIgnoreCase("true")) {
      return true;
    }
    if (t.equalsIgnoreCase("false")) {
      return false;
    }
    throw badCast(s, type);
  }

  private static EngineException badCast(String value, DataType type) {
    return new EngineException(ErrorCode.BAD_INPUT_DATA,
        "Cannot cast '" + value + "' to " + type.sqlName());
  }
}
