package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the handshake: sends HELLO, answers the CHALLENGE, and checks the server's
 * proof in WELCOME before completing the connect future. One per channel.
 */
final class ClientHandshakeHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(ClientHandshakeHandler.class);

  private enum State { AWAIT_CHALLENGE, AWAIT_WELCOME, DONE }

  private final String clientId;
  private final SharedSecret secret;
  private final ProtocolConfig config;
  private final ConnectionListener listener;
  private final CompletableFuture<PeerConnection> result;
  private final String target;
  private final byte[] clientNonce = SharedSecret.newNonce();
  private State state = State.AWAIT_CHALLENGE;
  private byte[] serverNonce;
  private ScheduledFuture<?> timeout;

  ClientHandshakeHandler(
      String clientId,
      SharedSecret secret,
      ProtocolConfig config,
      ConnectionListener listener,
      CompletableFuture<PeerConnection> result,
      String target) {
    super(Frame.class);
    this.clientId = requireNonNull(clientId, "clientId is null");
    this.secret = requireNonNull(secret, "secret is null");
    this.config = requireNonNull(config, "config is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.result = requireNonNull(result, "result is null");
    this.target = requireNonNull(target, "target is null");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long millis = config.handshakeTimeout().toMillis();
    timeout = ctx.executor().schedule(
        () -> fail(ctx, "handshake not completed within " + millis + " ms"), millis, TimeUnit.MILLISECONDS);
    ctx.writeAndFlush(new Frame(MessageType.HELLO, Frame.NO_REQUEST, HandshakeMessages.hello(clientId, clientNonce)));
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (state == State.DONE) {
      return;
    }
    if (frame.type() == MessageType.REJECT) {
      fail(ctx, "rejected by the server: " + HandshakeMessages.parseReject(frame.payload()));
    } else if (state == State.AWAIT_CHALLENGE && frame.type() == MessageType.CHALLENGE) {
      serverNonce = HandshakeMessages.parseFixed(frame.payload(), SharedSecret.NONCE_BYTES, MessageType.CHALLENGE);
      state = State.AWAIT_WELCOME;
      ctx.writeAndFlush(new Frame(MessageType.AUTH, Frame.NO_REQUEST, secret.clientProof(serverNonce, clientNonce, clientId)));
    } else if (state == State.AWAIT_WELCOME && frame.type() == MessageType.WELCOME) {
      onWelcome(ctx, HandshakeMessages.parseWelcome(frame.payload()));
    } else {
      fail(ctx, "protocol error: unexpected " + frame.type() + " during the handshake");
    }
  }

  private void onWelcome(ChannelHandlerContext ctx, HandshakeMessages.Welcome welcome) {
    byte[] expected = secret.serverProof(clientNonce, serverNonce, clientId);
    if (!SharedSecret.proofMatches(expected, welcome.proof())) {
      fail(ctx, "the server failed to prove the shared secret");
      return;
    }
    state = State.DONE;
    timeout.cancel(false);
    PeerConnection connection = PeerHandler.install(ctx, welcome.serverId(), config, listener);
    LOG.debug("connected to {} as {}", connection, clientId);
    result.complete(connection);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException) {
      fail(ctx, "protocol error: " + PeerHandler.rootMessage(cause));
    } else {
      fail(ctx, cause.toString());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state != State.DONE) {
      fail(ctx, CloseCause.noteOr(ctx.channel(), "connection closed") + " during the handshake");
    }
    ctx.fireChannelInactive();
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (state == State.DONE) {
      return;
    }
    state = State.DONE;
    if (timeout != null) {
      timeout.cancel(false);
    }
    String message = "connection to " + target + " as " + clientId + " failed: " + reason;
    LOG.warn(message);
    CloseCause.record(ctx.channel(), CloseCause.error(message));
    result.completeExceptionally(CloseCause.error(message));
    ctx.close();
  }
}
