package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts protocol connections on one port, authenticates them with the shared secret and reports
 * them to a {@link ConnectionListener}. Owns its event loop threads and every connection it
 * accepted; {@link #close()} closes them all and waits for the threads to stop.
 */
public final class ProtocolServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProtocolServer.class);

  private final String serverId;
  private final EventLoopGroup group;
  private final Channel serverChannel;

  private ProtocolServer(String serverId, EventLoopGroup group, Channel serverChannel) {
    this.serverId = serverId;
    this.group = group;
    this.serverChannel = serverChannel;
  }

  /**
   * Binds and starts accepting; blocks until bound.
   *
   * @param port 0 picks a free port, see {@link #port()}
   * @param serverId the id clients see as {@link PeerConnection#peerId()}
   * @throws io.dstream.executor.error.EngineException if the address cannot be bound
   */
  public static ProtocolServer bind(
      String host, int port, String serverId, SharedSecret secret, ProtocolConfig config, ConnectionListener listener) {
    requireNonNull(host, "host is null");
    requireNonNull(secret, "secret is null");
    requireNonNull(config, "config is null");
    requireNonNull(listener, "listener is null");
    if (!HandshakeMessages.isValidPeerId(requireNonNull(serverId, "serverId is null"))) {
      throw new IllegalArgumentException("invalid server id: " + serverId);
    }
    EventLoopGroup group = EventLoops.create("dstream-net-server-" + serverId, config.ioThreads());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline()
                .addLast("decoder", new FrameDecoder(ProtocolConfig.UNAUTHENTICATED_MAX_FRAME_BYTES))
                .addLast("encoder", new FrameEncoder(config.maxFrameBytes()))
                .addLast("handshake", new ServerHandshakeHandler(serverId, secret, config, listener));
          }
        });
    try {
      Channel channel = bootstrap.bind(host, port).syncUninterruptibly().channel();
      ProtocolServer server = new ProtocolServer(serverId, group, channel);
      LOG.info("protocol server {} listening on {}", serverId, PeerConnection.describe(channel.localAddress()));
      return server;
    } catch (Exception e) { // Netty rethrows a checked BindException without declaring it
      EventLoops.shutdown(group);
      throw CloseCause.error("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public int port() {
    return localAddress().getPort();
  }

  public String serverId() {
    return serverId;
  }

  /** Stops accepting, closes every connection (listeners hear of each) and stops the threads. */
  @Override
  public void close() {
    serverChannel.close();
    EventLoops.shutdown(group);
    LOG.info("protocol server {} stopped", serverId);
  }
}
