package io.dstream.executor.kernel;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.plan.Expr;
import io.dstream.executor.plan.Operator;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** String functions. They work on materialized strings: off the hot path of the benchmarks. */
final class StringFunctions {
  private StringFunctions() {}

  static Values apply(Operator op, List<Expr> operands, ColumnBatch batch, DataType type) {
    int n = batch.rowCount();
    List<Values> args = new ArrayList<>();
    for (Expr e : operands) {
      args.add(ExpressionEvaluator.evaluate(e, batch));
    }
    Values a = args.get(0);
    switch (op) {
      case LIKE, NOT_LIKE -> {
        boolean[] out = new boolean[n];
        boolean[] nulls = ExpressionEvaluator.mergeNulls(a.nulls, args.get(1).nulls, n);
        Pattern cached = null;
        String cachedPattern = null;
        for (int i = 0; i < n; i++) {
          if (nulls != null && nulls[i]) {
            continue;
          }
          String pattern = args.get(1).string(i);
          if (!pattern.equals(cachedPattern)) {
            cached = likeToRegex(pattern, args.size() > 2 ? args.get(2).string(i) : null);
            cachedPattern = pattern;
          }
          boolean m = cached.matcher(a.string(i)).matches();
          out[i] = op == Operator.LIKE ? m : !m;
        }
        return Values.booleans(type, out, nulls);
      }
      case CHAR_LENGTH -> {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
          if (!a.isNull(i)) {
            String s = a.string(i);
            out[i] = s.codePointCount(0, s.length());
          }
        }
        return Values.longs(type, out, a.nulls);
      }
      case POSITION -> {
        Values b = args.get(1);
        long[] out = new long[n];
        boolean[] nulls = ExpressionEvaluator.mergeNulls(a.nulls, b.nulls, n);
        for (int i = 0; i < n; i++) {
          if (nulls == null || !nulls[i]) {
            String haystack = b.string(i);
            int at = haystack.indexOf(a.string(i));
            out[i] = at < 0 ? 0 : haystack.codePointCount(0, at) + 1;
          }
        }
        return Values.longs(type, out, nulls);
      }
      default -> {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
          out[i] = scalar(op, args, i);
        }
        return Values.strings(type, out);
      }
    }
  }

  private static String scalar(Operator op, List<Values> args, int i) {
    for (Values v : args) {
      if (v.isNull(i)) {
        return null;
      }
    }
    String s = text(args.get(0), i);
    return switch (op) {
      case UPPER -> s.toUpperCase(java.util.Locale.ROOT);
      case LOWER -> s.toLowerCase(java.util.Locale.ROOT);
      case TRIM -> trimSpaces(s);
      case CONCAT -> {
        StringBuilder sb = new StringBuilder(s);
        for (int k = 1; k < args.size(); k++) {
          sb.append(text(args.get(k), i));
        }
        yield sb.toString();
      }
      case SUBSTRING -> {
        long start = args.get(1).longs[i];
        long length = args.size() > 2 ? args.get(2).longs[i] : Integer.MAX_VALUE;
        // SQL semantics: 1-based start, possibly before the string's start.
        long from = start - 1;
        long to = length == Integer.MAX_VALUE ? Long.MAX_VALUE : from + length;
        if (length < 0) {
          throw new io.dstream.executor.error.EngineException(io.dstream.executor.error.ErrorCode.BAD_INPUT_DATA,
              "SUBSTRING length must not be negative: " + length);
        }
        int codePoints = s.codePointCount(0, s.length());
        from = Math.max(0, from);
        to = Math.min(codePoints, to);
        yield from >= to ? "" : s.substring(s.offsetByCodePoints(0, (int) from), s.offsetByCodePoints(0, (int) to));
      }
      default -> throw new IllegalStateException(op.name());
    };
  }

  private static String trimSpaces(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == ' ') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String text(Values v, int i) {
    return v.type.kind() == Kind.VARCHAR || v.type.kind() == Kind.CHAR ? v.string(i) : Casts.format(v, i);
  }

  static Pattern likeToRegex(String pattern, String escape) {
    StringBuilder sb = new StringBuilder();
    char esc = escape == null || escape.isEmpty() ? 0 : escape.charAt(0);
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (esc != 0 && c == esc && i + 1 < pattern.length()) {
        sb.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        sb.append(".*");
      } else if (c == '_') {
        sb.append('.');
      } else {
        sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(sb.toString(), Pattern.DOTALL);
  }
}
