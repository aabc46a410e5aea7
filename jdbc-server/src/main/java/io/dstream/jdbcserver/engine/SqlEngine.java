package io.dstream.jdbcserver.engine;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import java.util.List;

/**
 * What the JDBC server needs from the engine: run one SQL statement, and describe the catalog.
 * Errors are {@code EngineException}s; SQL errors carry line and column in their message.
 * Thread-safe.
 */
public interface SqlEngine extends AutoCloseable {
  StatementResult execute(String sql);

  /**
   * Runs {@code sql} with values for its {@code ?} parameters, in order, as JDBC objects
   * ({@code Long}, {@code String}, {@code BigDecimal}, {@code java.sql.Timestamp}, ...). Only
   * pull queries take parameters.
   */
  default StatementResult execute(String sql, List<Object> parameters) {
    if (!parameters.isEmpty()) {
      throw new EngineException(ErrorCode.UNSUPPORTED,
          "Statement parameters (?) are supported in pull queries on materialized views only");
    }
    return execute(sql);
  }

  /**
   * What is known of {@code sql} before it runs: the types of its {@code ?} parameters and, for a
   * pull query, its columns. A statement that cannot be described yet (it fails only when run)
   * is described as having no parameters and unknown columns.
   */
  default Prepared prepare(String sql) {
    return Prepared.UNKNOWN;
  }

  /** Streams, tables and views, for DatabaseMetaData. */
  List<CatalogEntry> catalog();

  /** Built-in and user functions, for DatabaseMetaData; none by default. */
  default List<FunctionEntry> functions() {
    return List.of();
  }

  @Override
  void close();

  /**
   * One catalog object: {@code kind} is "STREAM", "TABLE" or "VIEW"; {@code keyColumns} are the
   * names of the columns that identify a row (a view's group keys), empty if there are none.
   */
  record CatalogEntry(String name, String kind, RowType rowType, List<String> keyColumns) {
    public CatalogEntry {
      keyColumns = List.copyOf(keyColumns);
    }

    public CatalogEntry(String name, String kind, RowType rowType) {
      this(name, kind, rowType, List.of());
    }
  }

  /** One function: {@code builtIn} false for a CREATE FUNCTION; {@code signature} may be null. */
  record FunctionEntry(String name, boolean builtIn, String signature) {}

  /** A statement described before it runs; {@code columns} is null when not known. */
  record Prepared(List<DataType> parameterTypes, RowType columns) {
    public static final Prepared UNKNOWN = new Prepared(List.of(), null);

    public Prepared {
      parameterTypes = List.copyOf(parameterTypes);
    }
  }
}
