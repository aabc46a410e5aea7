package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the handshake: HELLO, then CHALLENGE, AUTH, and WELCOME or REJECT. Anything
 * else, or no completed handshake in time, closes the connection. One per channel.
 */
final class ServerHandshakeHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(ServerHandshakeHandler.class);

  private enum State { AWAIT_HELLO, AWAIT_AUTH, DONE }

  private final String serverId;
  private final SharedSecret secret;
  private final ProtocolConfig config;
  private final ConnectionListener listener;
  private State state = State.AWAIT_HELLO;
  private HandshakeMessages.Hello hello;
  private byte[] serverNonce;
  private ScheduledFuture<?> timeout;

  ServerHandshakeHandler(String serverId, SharedSecret secret, ProtocolConfig config, ConnectionListener listener) {
    super(Frame.class);
    this.serverId = requireNonNull(serverId, "serverId is null");
    this.secret = requireNonNull(secret, "secret is null");
    this.config = requireNonNull(config, "config is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long millis = config.handshakeTimeout().toMillis();
    timeout = ctx.executor().schedule(
        () -> reject(ctx, "handshake not completed within " + millis + " ms", true),
        millis, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    switch (state) {
      case AWAIT_HELLO -> onHello(ctx, frame);
      case AWAIT_AUTH -> onAuth(ctx, frame);
      case DONE -> { } // rejected; the channel is closing
    }
  }

  private void onHello(ChannelHandlerContext ctx, Frame frame) {
    if (frame.type() != MessageType.HELLO) {
      reject(ctx, "expected HELLO but received " + frame.type(), true);
      return;
    }
    hello = HandshakeMessages.parseHello(frame.payload());
    serverNonce = SharedSecret.newNonce();
    state = State.AWAIT_AUTH;
    ctx.writeAndFlush(new Frame(MessageType.CHALLENGE, Frame.NO_REQUEST, serverNonce));
  }

  private void onAuth(ChannelHandlerContext ctx, Frame frame) {
    if (frame.type() != MessageType.AUTH) {
      reject(ctx, "expected AUTH but received " + frame.type(), true);
      return;
    }
    byte[] proof = HandshakeMessages.parseFixed(frame.payload(), SharedSecret.PROOF_BYTES, MessageType.AUTH);
    byte[] expected = secret.clientProof(serverNonce, hello.nonce(), hello.clientId());
    if (!SharedSecret.proofMatches(expected, proof)) {
      reject(ctx, "wrong shared secret", true);
      return;
    }
    state = State.DONE;
    timeout.cancel(false);
    byte[] serverProof = secret.serverProof(hello.nonce(), serverNonce, hello.clientId());
    ctx.writeAndFlush(new Frame(MessageType.WELCOME, Frame.NO_REQUEST, HandshakeMessages.welcome(serverProof, serverId)));
    PeerConnection connection = PeerHandler.install(ctx, hello.clientId(), config, listener);
    LOG.debug("worker {} from {} authenticated", hello.clientId(), PeerConnection.describe(connection.remoteAddress()));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException) {
      reject(ctx, "protocol error: " + PeerHandler.rootMessage(cause), true);
    } else if (cause instanceof IOException) {
      reject(ctx, "I/O error: " + cause.getMessage(), false);
    } else {
      LOG.warn("unexpected error during the handshake with {}", peer(ctx), cause);
      reject(ctx, "internal error: " + cause, false);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state != State.DONE) {
      String reason = CloseCause.noteOr(ctx.channel(), "connection closed") + " before authenticating";
      finish(ctx, reason);
      LOG.info("{} rejected: {}", peer(ctx), reason);
    }
    ctx.fireChannelInactive();
  }

  /** Logs once, tells the client why (unless the connection is broken), and closes. */
  private void reject(ChannelHandlerContext ctx, String reason, boolean tellClient) {
    if (state == State.DONE) {
      return;
    }
    finish(ctx, reason);
    LOG.warn("{} rejected: {}", peer(ctx), reason);
    CloseCause.record(ctx.channel(), CloseCause.error(peer(ctx) + " rejected: " + reason));
    if (tellClient && ctx.channel().isActive()) {
      ctx.writeAndFlush(new Frame(MessageType.REJECT, Frame.NO_REQUEST, HandshakeMessages.reject(reason)))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private void finish(ChannelHandlerContext ctx, String reason) {
    state = State.DONE;
    if (timeout != null) {
      timeout.cancel(false);
    }
    try {
      listener.onRejected((InetSocketAddress) ctx.channel().remoteAddress(), reason);
    } catch (RuntimeException e) {
      LOG.warn("connection listener failed on a rejection", e);
    }
  }

  private String peer(ChannelHandlerContext ctx) {
    String address = PeerConnection.describe(ctx.channel().remoteAddress());
    return hello == null ? "connection from " + address : "worker " + hello.clientId() + " from " + address;
  }
}
