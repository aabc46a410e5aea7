package io.dstream.executor.transport.net;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * One protocol message: a type, a request id (0 when the frame answers or expects nothing) and
 * an opaque payload. The payload array is not copied: whoever builds a frame hands the array
 * over and must not modify it afterwards.
 */
public record Frame(MessageType type, long requestId, byte[] payload) {
  /** First byte after the length prefix. */
  public static final int MAGIC = 0xD5;

  /** The only wire version so far. */
  public static final int VERSION = 1;

  /** Bytes after the length prefix and before the payload: magic, version, type, request id. */
  public static final int HEADER_BYTES = 1 + 1 + 1 + Long.BYTES;

  /** Bytes of the length prefix. */
  public static final int LENGTH_BYTES = Integer.BYTES;

  /** The request id of frames that neither expect nor answer a request. */
  public static final long NO_REQUEST = 0;

  private static final byte[] EMPTY = new byte[0];

  public Frame {
    requireNonNull(type, "type is null");
    requireNonNull(payload, "payload is null");
  }

  public static Frame of(MessageType type, long requestId) {
    return new Frame(type, requestId, EMPTY);
  }

  /** The value of the length prefix of this frame. */
  public long frameBytes() {
    return (long) HEADER_BYTES + payload.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Frame that
        && type == that.type
        && requestId == that.requestId
        && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + Long.hashCode(requestId)) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Frame[" + type + ", requestId=" + requestId + ", " + payload.length + " bytes]";
  }
}
