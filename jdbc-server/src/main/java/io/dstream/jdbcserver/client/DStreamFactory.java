package io.dstream.jdbcserver.client;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaSpecificDatabaseMetaData;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * The JDBC objects of {@link DStreamDriver}: Avatica's own (JDBC 4.1) ones, except the connection
 * ({@link DStreamConnection}: prepare errors carry the server's reason), result sets
 * ({@link DStreamResultSet}: {@code next()} fails with a {@code SQLException}) and
 * DatabaseMetaData ({@link DStreamDatabaseMetaData}).
 */
final class DStreamFactory implements AvaticaFactory {
  private final AvaticaFactory stock;

  DStreamFactory(AvaticaFactory stock) {
    this.stock = requireNonNull(stock, "stock is null");
  }

  @Override
  public int getJdbcMajorVersion() {
    return stock.getJdbcMajorVersion();
  }

  @Override
  public int getJdbcMinorVersion() {
    return stock.getJdbcMinorVersion();
  }

  @Override
  public AvaticaConnection newConnection(UnregisteredDriver driver, AvaticaFactory factory, String url,
      Properties info) {
    return new DStreamConnection(driver, factory, url, info);
  }

  @Override
  public AvaticaStatement newStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return stock.newStatement(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  @Override
  public AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection, Meta.StatementHandle h,
      Meta.Signature signature, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return stock.newPreparedStatement(connection, h, signature, resultSetType, resultSetConcurrency,
        resultSetHoldability);
  }

  @Override
  public AvaticaResultSet newResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
      TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    ResultSetMetaData metaData = stock.newResultSetMetaData(statement, signature);
    return new DStreamResultSet(statement, state, signature, metaData, timeZone, firstFrame);
  }

  @Override
  public AvaticaSpecificDatabaseMetaData newDatabaseMetaData(AvaticaConnection connection) {
    return new DStreamDatabaseMetaData(connection);
  }

  @Override
  public ResultSetMetaData newResultSetMetaData(AvaticaStatement statement, Meta.Signature signature)
      throws SQLException {
    return stock.newResultSetMetaData(statement, signature);
  }
}
