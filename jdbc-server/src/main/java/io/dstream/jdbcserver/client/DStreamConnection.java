package io.dstream.jdbcserver.client;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * A connection of {@link DStreamDriver}. Avatica's connection fails a prepare with the message
 * "while preparing SQL: ..." alone (the server's reason is only in the server stack traces it
 * carries); this one puts the reason in the message: {@code Error 1 (0A000) : Error while
 * preparing SQL "...": Statement parameters (?) are supported in pull queries on materialized
 * views only}, with the server's SQLSTATE and error code.
 */
final class DStreamConnection extends AvaticaConnection {
  DStreamConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
    super(driver, factory, url, info);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    checkOpen();
    Meta.StatementHandle h;
    try {
      h = meta.prepare(handle, sql, -1);
    } catch (AvaticaClientRuntimeException e) {
      throw ClientExceptions.toSql("Error while preparing SQL \"" + sql + "\": ", e);
    } catch (RuntimeException e) {
      throw new SQLException("Error while preparing SQL \"" + sql + "\": " + e.getMessage(), e);
    }
    return factory.newPreparedStatement(this, h, h.signature, resultSetType, resultSetConcurrency,
        resultSetHoldability);
  }
}
