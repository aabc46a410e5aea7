package io.dstream.executor.transport.net;

import java.net.InetSocketAddress;

/**
 * What a {@link ProtocolServer} or {@link ProtocolClient} reports about its connections. All
 * callbacks of one connection run on that connection's event loop thread, in order, and must not
 * block: hand longer work to another executor and answer later through the connection. An
 * exception thrown by a callback is logged; from {@link #onMessage} for a REQUEST it is also
 * answered with an ERROR frame carrying the exception's message.
 */
public interface ConnectionListener {
  /** The peer has authenticated; called before any {@link #onMessage} of the connection. */
  void onConnected(PeerConnection connection);

  /**
   * A frame arrived that is not a heartbeat and not the answer to one of this side's pending
   * requests: a REQUEST (answer it with {@link PeerConnection#reply}), a one-way frame, or an
   * ERROR nobody waits for.
   */
  void onMessage(PeerConnection connection, Frame frame);

  /**
   * The connection closed: by either side, by a protocol error, or because the peer sent nothing
   * for the configured peer timeout. Pending requests have already failed.
   *
   * @param cause why; never null
   */
  void onDisconnected(PeerConnection connection, Throwable cause);

  /**
   * Server only: a connection closed before authenticating (wrong secret, garbage, timeout,
   * disconnect during the handshake). The reason was already logged.
   */
  default void onRejected(InetSocketAddress remote, String reason) {}
}
