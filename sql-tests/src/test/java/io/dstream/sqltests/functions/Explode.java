package io.dstream.sqltests.functions;

/** explode(x) = x, except that it throws for a negative x. */
public final class Explode {
  private Explode() {}

  public static long eval(long x) {
    if (x < 0) {
      throw new IllegalArgumentException("negative: " + x);
    }
    return x;
  }
}
