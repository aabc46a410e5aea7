package io.dstream.executor.kernel;

import static io.dstream.executor.kernel.ExpressionEvaluator.asDoubles;
import static io.dstream.executor.kernel.ExpressionEvaluator.longsAtScale;
import static io.dstream.executor.kernel.ExpressionEvaluator.mergeNulls;
import static io.dstream.executor.kernel.ExpressionEvaluator.scaleOf;

import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Physical;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VarCharVector;

/** Column-at-a-time comparisons in the operands' common domain. */
final class Comparison {
  private Comparison() {}

  static Values compare(Operator op, Values a, Values b, DataType type) {
    int n = a.size;
    boolean[] nulls = mergeNulls(a.nulls, b.nulls, n);
    int[] cmp = new int[n];
    Physical pa = a.type.physical();
    Physical pb = b.type.physical();
    if (pa == Physical.STRING || pb == Physical.STRING) {
      compareStrings(a, b, cmp);
    } else if (pa == Physical.DOUBLE || pb == Physical.DOUBLE) {
      double[] x = asDoubles(a);
      double[] y = asDoubles(b);
      for (int i = 0; i < n; i++) {
        cmp[i] = Double.compare(x[i], y[i]);
      }
    } else if (pa == Physical.BOOLEAN) {
      for (int i = 0; i < n; i++) {
        cmp[i] = Boolean.compare(a.booleans[i], b.booleans[i]);
      }
    } else {
      int scale = Math.max(scaleOf(a.type), scaleOf(b.type));
      long[] x = longsAtScale(a, scale);
      long[] y = longsAtScale(b, scale);
      for (int i = 0; i < n; i++) {
        cmp[i] = Long.compare(x[i], y[i]);
      }
    }
    boolean[] out = new boolean[n];
    switch (op) {
      case EQUALS -> { for (int i = 0; i < n; i++) { out[i] = cmp[i] == 0; } }
      case NOT_EQUALS -> { for (int i = 0; i < n; i++) { out[i] = cmp[i] != 0; } }
      case LESS_THAN -> { for (int i = 0; i < n; i++) { out[i] = cmp[i] < 0; } }
      case LESS_THAN_OR_EQUAL -> { for (int i = 0; i < n; i++) { out[i] = cmp[i] <= 0; } }
      case GREATER_THAN -> { for (int i = 0; i < n; i++) { out[i] = cmp[i] > 0; } }
      case GREATER_THAN_OR_EQUAL -> { for (int i = 0; i < n; i++) { out[i] = cmp[i] >= 0; } }
      default -> throw new IllegalStateException(op.name());
    }
    return Values.booleans(type, out, nulls);
  }

  private static void compareStrings(Values a, Values b, int[] cmp) {
    int n = a.size;
    if (a.stringVector != null && b.strings != null && isConstant(b.strings)) {
      byte[] constant = b.strings.length == 0 || b.strings[0] == null ? new byte[0]
          : b.strings[0].getBytes(StandardCharsets.UTF_8);
      compareVectorToConstant(a.stringVector, constant, cmp, 1);
      return;
    }
    if (b.stringVector != null && a.strings != null && isConstant(a.strings)) {
      byte[] constant = a.strings.length == 0 || a.strings[0] == null ? new byte[0]
          : a.strings[0].getBytes(StandardCharsets.UTF_8);
      compareVectorToConstant(b.stringVector, constant, cmp, -1);
      return;
    }
    for (int i = 0; i < n; i++) {
      String x = a.string(i);
      String y = b.string(i);
      cmp[i] = x == null || y == null ? 0 : compareCodePoints(x, y);
    }
  }

  /** Code point order, which is also UTF-8 byte order, so both comparison paths agree. */
  static int compareCodePoints(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int a = x.codePointAt(i);
      int b = y.codePointAt(j);
      if (a != b) {
        return Integer.compare(a, b);
      }
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  private static boolean isConstant(String[] values) {
    for (int i = 1; i < values.length; i++) {
      if (values[i] != values[0]) {
        return false;
      }
    }
    return true;
  }

  /** Compares UTF-8 bytes in place, without materializing strings. */
  private static void compareVectorToConstant(VarCharVector v, byte[] constant, int[] cmp, int sign) {
    ArrowBuf offsets = v.getOffsetBuffer();
    ArrowBuf data = v.getDataBuffer();
    int n = cmp.length;
    for (int i = 0; i < n; i++) {
      int start = offsets.getInt((long) i * 4);
      int end = offsets.getInt((long) (i + 1) * 4);
      int len = end - start;
      int common = Math.min(len, constant.length);
      int c = 0;
      for (int k = 0; k < common && c == 0; k++) {
        c = Integer.compare(data.getByte(start + k) & 0xff, constant[k] & 0xff);
      }
      if (c == 0) {
        c = Integer.compare(len, constant.length);
      }
      cmp[i] = sign * c;
    }
  }
}
