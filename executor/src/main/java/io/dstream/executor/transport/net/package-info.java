/**
 * The framed, authenticated TCP protocol between the driver and workers, and between workers
 * for shuffle blocks: {@link io.dstream.executor.transport.net.ProtocolServer},
 * {@link io.dstream.executor.transport.net.ProtocolClient} and the
 * {@link io.dstream.executor.transport.net.PeerConnection} both of them hand out. Payloads are
 * opaque byte arrays; encoding plans, tasks and Arrow IPC blocks into them belongs to the codec
 * layer above. Nothing here deserializes Java objects.
 *
 * <h2>Frame format (version 1)</h2>
 *
 * <pre>
 *   offset  size  field
 *   0       4     length     unsigned big-endian; bytes that follow (header + payload), at least 11
 *   4       1     magic      0xD5
 *   5       1     version    1
 *   6       1     type       {@link io.dstream.executor.transport.net.MessageType#code()}
 *   7       8     requestId  big-endian; correlates a RESPONSE or ERROR with its REQUEST; 0 = none
 *   15      n     payload    length - 11 bytes, opaque
 * </pre>
 *
 * <p>A length above the limit ({@link io.dstream.executor.transport.net.ProtocolConfig#maxFrameBytes()},
 * 256 MiB by default, but 64 KiB until the peer has authenticated) closes the connection before
 * any of the frame is buffered. A wrong magic byte, an unknown version or message type, a length
 * shorter than the header, or a malformed handshake payload also closes the connection; the
 * reason is logged once. The decoder only reads inside the frame it was given.
 *
 * <h2>Handshake</h2>
 *
 * <pre>
 *   client -> server  HELLO     u16 idLength, clientId (UTF-8, [A-Za-z0-9._:@-]{1,128}), clientNonce[32]
 *   server -> client  CHALLENGE serverNonce[32]
 *   client -> server  AUTH      HMAC-SHA256(secret, serverNonce || clientNonce || clientId)
 *   server -> client  WELCOME   HMAC-SHA256(secret, clientNonce || serverNonce || clientId), u16 idLength, serverId
 *                 or  REJECT    reason (UTF-8), then the server closes
 * </pre>
 *
 * <p>The secret itself never crosses the wire; proofs are compared in constant time, and the
 * client checks the server's proof too (mutual authentication). Before authentication any other
 * frame, or no completed handshake within
 * {@link io.dstream.executor.transport.net.ProtocolConfig#handshakeTimeout()}, closes the
 * connection. The protocol authenticates peers; it does not encrypt traffic.
 *
 * <h2>After authentication</h2>
 *
 * <p>Either side may send REQUEST frames (answered by RESPONSE or ERROR with the same request
 * id) and one-way frames (request id 0). HEARTBEAT frames are sent whenever nothing else was
 * written for {@link io.dstream.executor.transport.net.ProtocolConfig#heartbeatInterval()}; a
 * peer from which nothing arrived for
 * {@link io.dstream.executor.transport.net.ProtocolConfig#peerTimeout()} is reported lost and
 * its connection closed. Handshake frames after authentication close the connection.
 */
package io.dstream.executor.transport.net;
