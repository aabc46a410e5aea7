package io.dstream.jdbcserver.client;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;

/**
 * The DatabaseMetaData of {@link DStreamDriver}: Avatica's, except for what the server's protocol
 * cannot carry. {@code allTablesAreSelectable} is false: a stream (table type STREAM) is read
 * with {@code SELECT STREAM}, not with a plain SELECT.
 */
final class DStreamDatabaseMetaData extends AvaticaDatabaseMetaData {
  DStreamDatabaseMetaData(AvaticaConnection connection) {
    super(connection);
  }

  @Override
  public boolean allTablesAreSelectable() {
    return false;
  }
}
