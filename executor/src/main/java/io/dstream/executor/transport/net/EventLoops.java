package io.dstream.executor.transport.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating and stopping the event loop group a server or client owns. */
final class EventLoops {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private EventLoops() {}

  /** Daemon threads named {@code threadNamePrefix-<pool>-<n>}. */
  static EventLoopGroup create(String threadNamePrefix, int threads) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(threadNamePrefix, true), NioIoHandler.newFactory());
  }

  /**
   * Shuts the group down, closing its channels, and waits for its threads unless called from one
   * of them (which would wait for itself).
   */
  static void shutdown(EventLoopGroup group) {
    group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    for (EventExecutor executor : group) {
      if (executor.inEventLoop()) {
        return;
      }
    }
    try {
      if (!group.terminationFuture().await(SHUTDOWN_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS)) {
        LOG.warn("event loop threads did not stop within {} s", SHUTDOWN_TIMEOUT_SECONDS + 1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
