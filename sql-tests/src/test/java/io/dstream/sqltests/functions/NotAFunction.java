package io.dstream.sqltests.functions;

/** Has no eval method: CREATE FUNCTION refuses it. */
public final class NotAFunction {
  private NotAFunction() {}

  public static long apply(long x) {
    return x;
  }
}
