package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of one protocol endpoint, server or client.
 *
 * @param maxFrameBytes largest accepted value of a frame's length prefix (header + payload)
 * @param handshakeTimeout how long a connection may stay unauthenticated
 * @param requestTimeout default time {@link PeerConnection#request} waits for an answer
 * @param heartbeatInterval a HEARTBEAT is sent after this long without writing; zero disables
 * @param peerTimeout a peer is lost after this long without any frame from it; zero disables
 * @param ioThreads event loop threads; 0 lets Netty choose (twice the cores)
 */
public record ProtocolConfig(
    int maxFrameBytes,
    Duration handshakeTimeout,
    Duration requestTimeout,
    Duration heartbeatInterval,
    Duration peerTimeout,
    int ioThreads) {

  public static final int DEFAULT_MAX_FRAME_BYTES = 256 << 20;
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(200);
  public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofMillis(1000);

  /** Handshake frames are tiny, so unauthenticated peers get a much smaller frame limit. */
  static final int UNAUTHENTICATED_MAX_FRAME_BYTES = 64 << 10;

  public ProtocolConfig {
    if (maxFrameBytes < UNAUTHENTICATED_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be at least " + UNAUTHENTICATED_MAX_FRAME_BYTES + ": " + maxFrameBytes);
    }
    requirePositive(handshakeTimeout, "handshakeTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    requireNotNegative(heartbeatInterval, "heartbeatInterval");
    requireNotNegative(peerTimeout, "peerTimeout");
    if (!peerTimeout.isZero()
        && !heartbeatInterval.isZero()
        && peerTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "peerTimeout " + peerTimeout + " must be longer than heartbeatInterval " + heartbeatInterval);
    }
    if (ioThreads < 0) {
      throw new IllegalArgumentException("ioThreads is negative: " + ioThreads);
    }
  }

  public static ProtocolConfig defaults() {
    return new ProtocolConfig(
        DEFAULT_MAX_FRAME_BYTES,
        DEFAULT_HANDSHAKE_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_PEER_TIMEOUT,
        0);
  }

  public ProtocolConfig withMaxFrameBytes(int value) {
    return new ProtocolConfig(value, handshakeTimeout, requestTimeout, heartbeatInterval, peerTimeout, ioThreads);
  }

  public ProtocolConfig withHandshakeTimeout(Duration value) {
    return new ProtocolConfig(maxFrameBytes, value, requestTimeout, heartbeatInterval, peerTimeout, ioThreads);
  }

  public ProtocolConfig withRequestTimeout(Duration value) {
    return new ProtocolConfig(maxFrameBytes, handshakeTimeout, value, heartbeatInterval, peerTimeout, ioThreads);
  }

  /** Heartbeat interval and peer timeout together, since each constrains the other. */
  public ProtocolConfig withHeartbeat(Duration interval, Duration timeout) {
    return new ProtocolConfig(maxFrameBytes, handshakeTimeout, requestTimeout, interval, timeout, ioThreads);
  }

  public ProtocolConfig withIoThreads(int value) {
    return new ProtocolConfig(maxFrameBytes, handshakeTimeout, requestTimeout, heartbeatInterval, peerTimeout, value);
  }

  private static void requirePositive(Duration value, String name) {
    requireNonNull(value, name + " is null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  private static void requireNotNegative(Duration value, String name) {
    requireNonNull(value, name + " is null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " is negative: " + value);
    }
  }
}
