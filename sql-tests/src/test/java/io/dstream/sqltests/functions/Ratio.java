package io.dstream.sqltests.functions;

/** ratio(a, b) = a / b as a double; NULL for a NULL operand or a zero divisor. */
public final class Ratio {
  private Ratio() {}

  public static Double eval(Long a, Long b) {
    return a == null || b == null || b == 0 ? null : (double) a / b;
  }
}
