package io.dstream.executor.function;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDateTime;

/** Function classes for the executor's tests, one public nested class per case. */
public final class TestFunctions {
  private TestFunctions() {}

  /** Static, primitive: bucket(x, width) = floor(x / width). */
  public static final class Bucket {
    public static long eval(long x, long width) {
      return Math.floorDiv(x, width);
    }
  }

  /** Boxed parameter: NULL is passed in as null. */
  public static final class OrMinusOne {
    public static Long eval(Long x) {
      return x == null ? -1L : x;
    }
  }

  /** Instance methods, overloaded, with a field set by the constructor. */
  public static final class Shout {
    private final String suffix;

    public Shout() {
      this.suffix = "!";
    }

    public String eval(String s) {
      return s == null ? null : s.toUpperCase() + suffix;
    }

    public String eval(String s, int times) {
      return (s + suffix).repeat(times);
    }
  }

  /** BigDecimal, Timestamp and LocalDateTime conversions. */
  public static final class Conversions {
    public static BigDecimal eval(BigDecimal d) {
      return d == null ? null : d.multiply(BigDecimal.valueOf(3));
    }

    public static Timestamp eval(Timestamp t, int plusMillis) {
      return new Timestamp(t.getTime() + plusMillis);
    }

    public static LocalDateTime eval(LocalDateTime t) {
      return t.plusDays(1);
    }

    public static Boolean eval(double d) {
      return d > 0 ? Boolean.TRUE : d < 0 ? Boolean.FALSE : null;
    }
  }

  /** Throws for zero. */
  public static final class Inverse {
    public static long eval(long x) {
      return 100 / x;
    }
  }

  /** Not a function: no eval method. */
  public static final class NoEval {
    public static long apply(long x) {
      return x;
    }
  }

  /** Not a function: an eval method with a type SQL cannot pass. */
  public static final class ListEval {
    public static long eval(java.util.List<Long> x) {
      return x.size();
    }
  }

  /** Not a function: instance eval without a no-argument constructor. */
  public static final class NeedsArgument {
    private final long base;

    public NeedsArgument(long base) {
      this.base = base;
    }

    public long eval(long x) {
      return base + x;
    }
  }
}
