package io.dstream.jdbcserver.engine;

import io.dstream.executor.type.RowType;
import java.util.List;

/**
 * What the JDBC server needs from the engine: run one SQL statement, and describe the catalog.
 * Errors are {@code EngineException}s; SQL errors carry line and column in their message.
 * Thread-safe.
 */
public interface SqlEngine extends AutoCloseable {
  StatementResult execute(String sql);

  /** Streams, tables and views, for DatabaseMetaData. */
  List<CatalogEntry> catalog();

  @Override
  void close();

  /** One catalog object: {@code kind} is "STREAM", "TABLE" or "VIEW". */
  record CatalogEntry(String name, String kind, RowType rowType) {}
}
