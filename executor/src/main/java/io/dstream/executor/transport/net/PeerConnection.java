package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An authenticated connection to one peer. Thread-safe: any thread may send, request and close.
 * Futures returned here complete on the connection's event loop thread, so dependent actions
 * attached to them must not block. Closing is asynchronous; {@link #closeFuture()} tells when it
 * happened and why. The owner is the server or client that created it, which closes it on its
 * own close.
 */
public final class PeerConnection implements AutoCloseable {
  private final Channel channel;
  private final String peerId;
  private final InetSocketAddress remoteAddress;
  private final Duration requestTimeout;
  private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
  private final AtomicLong lastRequestId = new AtomicLong();
  private final CompletableFuture<Throwable> closed = new CompletableFuture<>();

  PeerConnection(Channel channel, String peerId, Duration requestTimeout) {
    this.channel = requireNonNull(channel, "channel is null");
    this.peerId = requireNonNull(peerId, "peerId is null");
    this.remoteAddress = (InetSocketAddress) channel.remoteAddress();
    this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
  }

  /** The id the peer authenticated with: the client id on the server, the server id on a client. */
  public String peerId() {
    return peerId;
  }

  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  public boolean isOpen() {
    return channel.isActive() && !closed.isDone();
  }

  /**
   * False while the outgoing buffer holds more than Netty's high water mark (64 KiB by default);
   * a sender of many large frames can wait for it instead of queueing without bound.
   */
  public boolean isWritable() {
    return channel.isWritable();
  }

  /** Completes with the reason once the connection has closed; never fails. */
  public CompletableFuture<Throwable> closeFuture() {
    return closed.copy();
  }

  /**
   * Sends one frame; the future completes once it was written to the socket. The payload array
   * is handed over and must not be modified afterwards. Use request id {@link Frame#NO_REQUEST}
   * for one-way frames.
   *
   * @throws IllegalArgumentException for handshake message types
   */
  public CompletableFuture<Void> send(MessageType type, long requestId, byte[] payload) {
    requireNonNull(type, "type is null");
    if (type.isHandshake()) {
      throw new IllegalArgumentException(type + " belongs to the handshake");
    }
    return write(new Frame(type, requestId, payload));
  }

  /** Answers a REQUEST with a RESPONSE carrying the same request id. */
  public CompletableFuture<Void> reply(Frame request, byte[] payload) {
    return send(MessageType.RESPONSE, request.requestId(), payload);
  }

  /** Answers a REQUEST with an ERROR carrying the same request id. */
  public CompletableFuture<Void> replyError(Frame request, byte[] payload) {
    return send(MessageType.ERROR, request.requestId(), payload);
  }

  /** {@link #request(MessageType, byte[], Duration)} with the configured request timeout. */
  public CompletableFuture<Frame> request(MessageType type, byte[] payload) {
    return request(type, payload, requestTimeout);
  }

  /**
   * Sends a frame under a fresh request id and completes with the peer's RESPONSE or ERROR frame
   * of the same id (check {@link Frame#type()}). Fails with a {@link TimeoutException} when no
   * answer arrives in time, and with an {@code EngineException} when the frame cannot be sent or
   * the connection closes first. A late answer is dropped.
   */
  public CompletableFuture<Frame> request(MessageType type, byte[] payload, Duration timeout) {
    requireNonNull(timeout, "timeout is null");
    if (type == MessageType.RESPONSE || type == MessageType.ERROR || type == MessageType.HEARTBEAT) {
      throw new IllegalArgumentException(type + " cannot be a request");
    }
    long requestId = lastRequestId.incrementAndGet();
    CompletableFuture<Frame> answer = new CompletableFuture<>();
    pending.put(requestId, answer);
    if (closed.isDone()) {
      fail(requestId, answer, closedError(requestId, closed.join()));
      return answer;
    }
    try {
      ScheduledFuture<?> timer = channel.eventLoop().schedule(
          () -> fail(requestId, answer, new TimeoutException(
              "no answer from " + this + " to request " + requestId + " within " + timeout.toMillis() + " ms")),
          timeout.toNanos(), TimeUnit.NANOSECONDS);
      answer.whenComplete((frame, error) -> timer.cancel(false));
      send(type, requestId, payload).whenComplete((ignored, error) -> {
        if (error != null) {
          fail(requestId, answer, error);
        }
      });
    } catch (RejectedExecutionException e) {
      fail(requestId, answer, closedError(requestId, e));
    }
    return answer;
  }

  /** Closes the connection; pending requests fail and the listener hears of it. Idempotent. */
  @Override
  public void close() {
    CloseCause.close(channel, CloseCause.error("connection to " + this + " closed locally"));
  }

  @Override
  public String toString() {
    return peerId + "@" + describe(remoteAddress);
  }

  /** Completes the pending request this frame answers; false if none waits for it. */
  boolean completeRequest(Frame answer) {
    CompletableFuture<Frame> future = pending.remove(answer.requestId());
    if (future == null) {
      return false;
    }
    future.complete(answer);
    return true;
  }

  /** Called once by the channel's handler after the channel closed. */
  void closed(Throwable cause) {
    closed.complete(cause);
    for (Long requestId : pending.keySet()) {
      CompletableFuture<Frame> future = pending.remove(requestId);
      if (future != null) {
        future.completeExceptionally(closedError(requestId, cause));
      }
    }
  }

  Channel channel() {
    return channel;
  }

  int pendingRequests() {
    return pending.size();
  }

  private CompletableFuture<Void> write(Frame frame) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    if (closed.isDone()) {
      written.completeExceptionally(CloseCause.error(
          "cannot send " + frame + " to " + this + ": connection closed", closed.join()));
      return written;
    }
    channel.writeAndFlush(frame).addListener(future -> {
      if (future.isSuccess()) {
        written.complete(null);
      } else {
        written.completeExceptionally(CloseCause.error(
            "cannot send " + frame + " to " + this + ": " + PeerHandler.rootMessage(future.cause()), future.cause()));
      }
    });
    return written;
  }

  private void fail(long requestId, CompletableFuture<Frame> answer, Throwable error) {
    if (pending.remove(requestId, answer)) {
      answer.completeExceptionally(error);
    }
  }

  private RuntimeException closedError(long requestId, Throwable cause) {
    return CloseCause.error(
        "connection to " + this + " closed before request " + requestId + " was answered: "
            + cause.getMessage(), cause);
  }

  /** host:port without the leading slash of {@link InetSocketAddress#toString()}. */
  static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
