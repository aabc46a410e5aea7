package io.dstream.sqltests.functions;

/** bucket(value, width): the bucket of width {@code width} holding {@code value}, floored. */
public final class Bucket {
  private Bucket() {}

  public static long eval(long value, long width) {
    return Math.floorDiv(value, width);
  }
}
