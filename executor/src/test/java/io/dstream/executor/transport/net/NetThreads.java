package io.dstream.executor.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Checks that no protocol event loop thread outlives the servers and clients of a test. */
final class NetThreads {
  private NetThreads() {}

  static void assertAllTerminated() throws InterruptedException {
    List<String> alive = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("dstream-net-")) {
        thread.join(5_000);
        if (thread.isAlive()) {
          alive.add(thread.getName());
        }
      }
    }
    assertThat(alive).as("protocol threads still alive").isEmpty();
  }
}
