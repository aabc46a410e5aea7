package io.dstream.executor.codec;

/**
 * Thrown when bytes cannot be decoded (unknown version, truncated or malformed input, wrong
 * schema) or a value cannot be encoded; the message says what was wrong and where.
 */
public final class CodecException extends RuntimeException {
  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
