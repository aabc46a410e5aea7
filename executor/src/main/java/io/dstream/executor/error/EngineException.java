package io.dstream.executor.error;

import static java.util.Objects.requireNonNull;

/** The one exception type of the engine; carries an error code that maps to a SQLSTATE. */
public final class EngineException extends RuntimeException {
  private final ErrorCode code;

  public EngineException(ErrorCode code, String message) {
    super(message);
    this.code = requireNonNull(code, "code is null");
  }

  public EngineException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code is null");
  }

  public ErrorCode code() {
    return code;
  }

  public static EngineException user(ErrorCode code, String format, Object... args) {
    return new EngineException(code, String.format(format, args));
  }
}
