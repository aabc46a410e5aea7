package io.dstream.executor.transport.net;

import java.util.Optional;

/**
 * The type byte of a {@link Frame}. Codes are part of the wire format and never reused; new
 * types take the next free code (up to 255).
 */
public enum MessageType {
  HELLO(1, true),
  CHALLENGE(2, true),
  AUTH(3, true),
  WELCOME(4, true),
  REJECT(5, true),
  HEARTBEAT(6, false),
  REQUEST(7, false),
  RESPONSE(8, false),
  ERROR(9, false);

  private static final MessageType[] BY_CODE = new MessageType[256];

  static {
    for (MessageType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;
  private final boolean handshake;

  MessageType(int code, boolean handshake) {
    this.code = code;
    this.handshake = handshake;
  }

  /** The byte on the wire, 1 to 255. */
  public int code() {
    return code;
  }

  /** Whether the type belongs to the handshake and so may not be sent by applications. */
  public boolean isHandshake() {
    return handshake;
  }

  public static Optional<MessageType> forCode(int code) {
    return Optional.ofNullable(byCode(code));
  }

  /** The type with this code, or null; for the decoder, which must not allocate. */
  static MessageType byCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
