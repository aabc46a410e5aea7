package io.dstream.jdbcserver.client;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;

/**
 * A result set of {@link DStreamDriver}. Avatica's {@code next()} lets an error of a later fetch
 * escape unchecked (an {@code AvaticaClientRuntimeException} from its row iterator); here it is
 * a {@code SQLException} with the server's message, SQLSTATE and error code, for example SQLSTATE
 * 53000 when a push query's client read too slowly.
 */
final class DStreamResultSet extends AvaticaResultSet {
  DStreamResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
      ResultSetMetaData resultSetMetaData, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    super(statement, state, signature, resultSetMetaData, timeZone, firstFrame);
  }

  @Override
  public boolean next() throws SQLException {
    try {
      return super.next();
    } catch (AvaticaClientRuntimeException e) {
      throw ClientExceptions.toSql("", e);
    } catch (RuntimeException e) {
      throw new SQLException(String.valueOf(e.getMessage()), e);
    }
  }
}
