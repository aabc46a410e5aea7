package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens authenticated connections to protocol servers. One client can hold many connections,
 * all served by its event loop threads and reported to one {@link ConnectionListener}; it owns
 * them, and {@link #close()} closes them all and waits for the threads to stop. Thread-safe.
 */
public final class ProtocolClient implements AutoCloseable {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ProtocolConfig config;
  private final ConnectionListener listener;
  private final EventLoopGroup group;

  public ProtocolClient(ProtocolConfig config, ConnectionListener listener) {
    this.config = requireNonNull(config, "config is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.group = EventLoops.create("dstream-net-client-" + INSTANCES.incrementAndGet(), config.ioThreads());
  }

  /**
   * Connects and runs the handshake. Completes with the connection once both sides proved the
   * secret; fails with an {@code EngineException} explaining why otherwise (refused, rejected by
   * the server, server could not prove the secret, handshake timeout). Does not block.
   */
  public CompletableFuture<PeerConnection> connect(String host, int port, String clientId, SharedSecret secret) {
    requireNonNull(host, "host is null");
    requireNonNull(secret, "secret is null");
    if (!HandshakeMessages.isValidPeerId(requireNonNull(clientId, "clientId is null"))) {
      throw new IllegalArgumentException("invalid client id (expected [A-Za-z0-9._:@-]{1,128}): " + clientId);
    }
    CompletableFuture<PeerConnection> result = new CompletableFuture<>();
    if (group.isShuttingDown()) {
      result.completeExceptionally(CloseCause.error("the protocol client is closed"));
      return result;
    }
    String target = host + ":" + port;
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.handshakeTimeout().toMillis()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline()
                .addLast("decoder", new FrameDecoder(ProtocolConfig.UNAUTHENTICATED_MAX_FRAME_BYTES))
                .addLast("encoder", new FrameEncoder(config.maxFrameBytes()))
                .addLast("handshake", new ClientHandshakeHandler(clientId, secret, config, listener, result, target));
          }
        });
    try {
      ChannelFuture connected = bootstrap.connect(host, port);
      connected.addListener(future -> {
        if (!future.isSuccess()) {
          result.completeExceptionally(CloseCause.error(
              "connection to " + target + " as " + clientId + " failed: " + future.cause().getMessage(), future.cause()));
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(CloseCause.error("the protocol client is closed", e));
    }
    return result;
  }

  /** Closes every connection (listeners hear of each) and stops the threads. */
  @Override
  public void close() {
    EventLoops.shutdown(group);
  }

  EventLoopGroup group() {
    return group;
  }
}
