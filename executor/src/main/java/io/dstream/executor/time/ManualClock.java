package io.dstream.executor.time;

/** A clock that only moves when told to; waiters wake when it passes their deadline. */
public final class ManualClock implements Clock {
  private long now;

  public ManualClock(long start) {
    this.now = start;
  }

  @Override
  public synchronized long millis() {
    return now;
  }

  public synchronized void advance(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("cannot move a clock backwards: " + millis);
    }
    now += millis;
    notifyAll();
  }

  @Override
  public synchronized void waitUntil(long deadline) throws InterruptedException {
    while (now < deadline) {
      wait();
    }
  }
}
