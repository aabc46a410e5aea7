package io.dstream.jdbcserver.meta;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns engine failures into the exception Avatica sends to the client, which the remote driver
 * raises as a {@code SQLException} with the engine's message and the error code's SQLSTATE.
 *
 * <p>The vendor error code says who must act: 1 the user, 2 the developers, 3 the operator.
 */
final class ClientErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ClientErrors.class);
  static final String INTERNAL_SQL_STATE = ErrorCode.INTERNAL_ERROR.sqlState();

  private ClientErrors() {}

  static AvaticaRuntimeException toClient(RuntimeException e) {
    if (e instanceof AvaticaRuntimeException already) {
      return already;
    }
    if (e instanceof EngineException engine) {
      ErrorCode code = engine.code();
      if (code.kind() == ErrorCode.Kind.USER) {
        LOG.debug("Statement failed: {}", engine.getMessage());
      } else {
        LOG.warn("Statement failed with {}", code, engine);
      }
      return new AvaticaRuntimeException(
          engine.getMessage(), vendorCode(code.kind()), code.sqlState(), AvaticaSeverity.ERROR);
    }
    LOG.error("Internal error while serving a JDBC request", e);
    return new AvaticaRuntimeException(
        "Internal error: " + e, vendorCode(ErrorCode.Kind.INTERNAL), INTERNAL_SQL_STATE, AvaticaSeverity.ERROR);
  }

  static AvaticaRuntimeException interrupted() {
    Thread.currentThread().interrupt();
    return new AvaticaRuntimeException(
        "Interrupted while waiting for rows", vendorCode(ErrorCode.Kind.RESOURCE), "57014", AvaticaSeverity.ERROR);
  }

  /** A user error with its own SQLSTATE (one that no {@link ErrorCode} has). */
  static AvaticaRuntimeException user(String message, String sqlState) {
    LOG.debug("Statement failed: {}", message);
    return new AvaticaRuntimeException(message, vendorCode(ErrorCode.Kind.USER), sqlState, AvaticaSeverity.ERROR);
  }

  static AvaticaRuntimeException unsupported(String message) {
    return toClient(new EngineException(ErrorCode.UNSUPPORTED, message));
  }

  private static int vendorCode(ErrorCode.Kind kind) {
    return switch (kind) {
      case USER -> 1;
      case INTERNAL -> 2;
      case RESOURCE -> 3;
    };
  }
}
