package io.dstream.executor.transport.net;

import io.netty.handler.codec.CorruptedFrameException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Payloads of the handshake frames; see the package documentation for their layout. */
final class HandshakeMessages {
  private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final int MAX_REASON_BYTES = 1024;

  private HandshakeMessages() {}

  record Hello(String clientId, byte[] nonce) {}

  record Welcome(byte[] proof, String serverId) {}

  static boolean isValidPeerId(String id) {
    return PEER_ID.matcher(id).matches();
  }

  static byte[] hello(String clientId, byte[] nonce) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + id.length + nonce.length)
        .putShort((short) id.length)
        .put(id)
        .put(nonce)
        .array();
  }

  static Hello parseHello(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      String id = readId(in, "HELLO");
      byte[] nonce = readExactly(in, SharedSecret.NONCE_BYTES);
      requireEnd(in, "HELLO");
      return new Hello(id, nonce);
    } catch (BufferUnderflowException e) {
      throw new CorruptedFrameException("malformed HELLO: " + payload.length + " bytes");
    }
  }

  static byte[] parseFixed(byte[] payload, int bytes, MessageType type) {
    if (payload.length != bytes) {
      throw new CorruptedFrameException(
          "malformed " + type + ": " + payload.length + " bytes instead of " + bytes);
    }
    return payload;
  }

  static byte[] welcome(byte[] proof, String serverId) {
    byte[] id = serverId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(proof.length + 2 + id.length)
        .put(proof)
        .putShort((short) id.length)
        .put(id)
        .array();
  }

  static Welcome parseWelcome(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      byte[] proof = readExactly(in, SharedSecret.PROOF_BYTES);
      String id = readId(in, "WELCOME");
      requireEnd(in, "WELCOME");
      return new Welcome(proof, id);
    } catch (BufferUnderflowException e) {
      throw new CorruptedFrameException("malformed WELCOME: " + payload.length + " bytes");
    }
  }

  static byte[] reject(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= MAX_REASON_BYTES ? bytes : java.util.Arrays.copyOf(bytes, MAX_REASON_BYTES);
  }

  /** The reason of a REJECT, with control characters replaced so it can go into a log line. */
  static String parseReject(byte[] payload) {
    int length = Math.min(payload.length, MAX_REASON_BYTES);
    String reason = new String(payload, 0, length, StandardCharsets.UTF_8);
    return reason.replaceAll("\\p{Cntrl}", "?");
  }

  private static String readId(ByteBuffer in, String what) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > in.remaining()) {
      throw new CorruptedFrameException("malformed " + what + ": id length " + length);
    }
    String id = new String(readExactly(in, length), StandardCharsets.UTF_8);
    if (!isValidPeerId(id)) {
      throw new CorruptedFrameException("malformed " + what + ": invalid peer id");
    }
    return id;
  }

  private static byte[] readExactly(ByteBuffer in, int bytes) {
    byte[] result = new byte[bytes];
    in.get(result);
    return result;
  }

  private static void requireEnd(ByteBuffer in, String what) {
    if (in.hasRemaining()) {
      throw new CorruptedFrameException("malformed " + what + ": " + in.remaining() + " trailing bytes");
    }
  }
}
