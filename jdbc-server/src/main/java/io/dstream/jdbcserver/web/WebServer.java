package io.dstream.jdbcserver.web;

import static java.util.Objects.requireNonNull;

import io.dstream.jdbcserver.engine.Engine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The engine's read-only web face on its own port: {@code GET /} a status page of the running
 * queries (with inline SVG plots of their recent batches) and the workers, {@code GET
 * /api/queries} the same as JSON, {@code GET /metrics} Prometheus metrics. Other paths answer
 * 404 and other methods 405. No authentication: bind it to a trusted address.
 */
public final class WebServer implements AutoCloseable {
  private static final int MAX_REQUEST_BYTES = 16 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;
  private final String host;
  private final int port;

  private WebServer(EventLoopGroup group, Channel channel, String host, int port) {
    this.group = group;
    this.channel = channel;
    this.host = host;
    this.port = port;
  }

  /**
   * Serves {@code engine} on {@code host:port} (port 0 picks a free one).
   *
   * @throws IllegalStateException when the address cannot be bound
   */
  public static WebServer start(Engine engine, String host, int port) {
    requireNonNull(engine, "engine is null");
    requireNonNull(host, "host is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dstream-web", true),
        NioIoHandler.newFactory());
    WebHandler handler = new WebHandler(engine);
    try {
      Channel channel = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
            }
          })
          .bind(host, port)
          .syncUninterruptibly()
          .channel();
      int bound = ((InetSocketAddress) channel.localAddress()).getPort();
      return new WebServer(group, channel, host, bound);
    } catch (Exception e) { // Netty rethrows a checked BindException without declaring it
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot serve the web page on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The port listened on. */
  public int port() {
    return port;
  }

  /** The status page's address, such as {@code http://127.0.0.1:8080/}. */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port + "/";
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
