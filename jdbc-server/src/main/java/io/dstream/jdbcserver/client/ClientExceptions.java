package io.dstream.jdbcserver.client;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSqlException;

/** Turns the remote driver's unchecked server errors into {@code SQLException}s. */
final class ClientExceptions {
  private ClientExceptions() {}

  /**
   * A SQLException with {@code prefix} and the server's message, SQLSTATE, error code and stack
   * traces; its message reads "Error 1 (0A000) : " + prefix + message, as Avatica's do.
   */
  static AvaticaSqlException toSql(String prefix, AvaticaClientRuntimeException e) {
    String server = e.getRpcMetadata() == null ? null : e.getRpcMetadata().serverAddress;
    AvaticaSqlException sql = new AvaticaSqlException(prefix + e.getMessage(), e.getSqlState(), e.getErrorCode(),
        e.getServerExceptions(), server);
    sql.initCause(e);
    return sql;
  }
}
