package io.dstream.executor.time;

/** The wall clock. */
public final class SystemClock implements Clock {
  public static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public void waitUntil(long deadline) throws InterruptedException {
    long now;
    while ((now = System.currentTimeMillis()) < deadline) {
      Thread.sleep(Math.min(deadline - now, 50));
    }
  }
}
