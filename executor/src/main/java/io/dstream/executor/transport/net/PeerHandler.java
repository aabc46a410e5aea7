package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches the frames of an authenticated connection: answers, heartbeats, and the rest. */
final class PeerHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(PeerHandler.class);

  private final PeerConnection connection;
  private final ConnectionListener listener;

  private PeerHandler(PeerConnection connection, ConnectionListener listener) {
    super(Frame.class);
    this.connection = requireNonNull(connection, "connection is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  /**
   * Replaces the handshake handler once the peer has authenticated: raises the frame limit,
   * starts heartbeats and reports the connection. Runs on the channel's event loop.
   */
  static PeerConnection install(
      ChannelHandlerContext handshake, String peerId, ProtocolConfig config, ConnectionListener listener) {
    ChannelPipeline pipeline = handshake.pipeline();
    pipeline.get(FrameDecoder.class).maxFrameBytes(config.maxFrameBytes());
    PeerConnection connection = new PeerConnection(handshake.channel(), peerId, config.requestTimeout());
    pipeline.replace(handshake.handler(), "peer", new PeerHandler(connection, listener));
    if (!config.heartbeatInterval().isZero() || !config.peerTimeout().isZero()) {
      pipeline.addFirst("heartbeat", new HeartbeatHandler(connection, config));
    }
    try {
      listener.onConnected(connection);
    } catch (RuntimeException e) {
      LOG.warn("connection listener failed on connect of {}", connection, e);
    }
    return connection;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    switch (frame.type()) {
      case HEARTBEAT -> { }
      case RESPONSE -> {
        if (!connection.completeRequest(frame)) {
          LOG.debug("dropped a late or unexpected response {} from {}", frame, connection);
        }
      }
      case ERROR -> {
        if (!connection.completeRequest(frame)) {
          deliver(frame);
        }
      }
      case HELLO, CHALLENGE, AUTH, WELCOME, REJECT -> closeOnViolation(
          "protocol error: " + frame.type() + " after authentication");
      default -> deliver(frame);
    }
  }

  private void deliver(Frame frame) {
    try {
      listener.onMessage(connection, frame);
    } catch (RuntimeException e) {
      LOG.warn("handling {} from {} failed", frame, connection, e);
      if (frame.type() == MessageType.REQUEST && connection.isOpen()) {
        String message = String.valueOf(e.getMessage());
        connection.replyError(frame, message.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      if (CloseCause.close(ctx.channel(), CloseCause.error("I/O error on " + connection + ": " + cause.getMessage(), cause))) {
        LOG.info("connection to {} failed: {}", connection, cause.getMessage());
      }
    } else if (cause instanceof DecoderException) {
      closeOnViolation("protocol error: " + rootMessage(cause));
    } else {
      if (CloseCause.close(ctx.channel(), CloseCause.error("internal error on " + connection, cause))) {
        LOG.warn("closing connection to {} after an unexpected error", connection, cause);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Throwable cause = CloseCause.get(ctx.channel(), "connection closed by " + connection);
    LOG.debug("connection to {} closed: {}", connection, cause.getMessage());
    connection.closed(cause);
    try {
      listener.onDisconnected(connection, cause);
    } catch (RuntimeException e) {
      LOG.warn("connection listener failed on disconnect of {}", connection, e);
    }
    ctx.fireChannelInactive();
  }

  private void closeOnViolation(String reason) {
    if (CloseCause.close(connection.channel(), CloseCause.error(reason + " from " + connection))) {
      LOG.warn("closing connection to {}: {}", connection, reason);
    }
  }

  static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
