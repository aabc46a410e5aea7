package io.dstream.jdbcserver.meta;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.apache.calcite.avatica.AvaticaParameter;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Server-side state of one client statement: the SQL it was prepared with, if any, and the push
 * query it is reading, if any. Thread-safe; owns its cursor.
 */
final class OpenStatement implements AutoCloseable {
  private final String connectionId;
  private final int id;
  private volatile String preparedSql;
  private volatile long preparedMaxRowCount;
  private volatile List<AvaticaParameter> preparedParameters = List.of();
  /** Why the prepared SQL cannot run, found at prepare time and reported when it is executed. */
  private volatile RuntimeException deferredError;
  private final AtomicReference<PushCursor> cursor = new AtomicReference<>();
  private boolean closed;

  OpenStatement(String connectionId, int id) {
    this.connectionId = requireNonNull(connectionId, "connectionId is null");
    this.id = id;
  }

  String connectionId() {
    return connectionId;
  }

  int id() {
    return id;
  }

  void prepare(String sql, long maxRowCount, List<AvaticaParameter> parameters) {
    prepare(sql, maxRowCount, parameters, null);
  }

  /**
   * Remembers {@code sql}; a non-null {@code deferredError} is what each execution of it fails
   * with (the prepare itself succeeded so that the client sees the reason at execute time).
   */
  void prepare(String sql, long maxRowCount, List<AvaticaParameter> parameters, RuntimeException deferredError) {
    this.deferredError = deferredError;
    this.preparedParameters = List.copyOf(parameters);
    this.preparedSql = requireNonNull(sql, "sql is null");
    this.preparedMaxRowCount = maxRowCount;
  }

  /** The parameters of the prepared statement, as its signature describes them. */
  List<AvaticaParameter> preparedParameters() {
    return preparedParameters;
  }

  /** The error the prepared statement fails with when executed, if prepare found one. */
  Optional<RuntimeException> deferredError() {
    return Optional.ofNullable(deferredError);
  }

  Optional<String> preparedSql() {
    return Optional.ofNullable(preparedSql);
  }

  long preparedMaxRowCount() {
    return preparedMaxRowCount;
  }

  Optional<PushCursor> cursor() {
    return Optional.ofNullable(cursor.get());
  }

  /**
   * Makes {@code next} (may be null) the current cursor, closing the previous one. Once the
   * statement is closed, {@code next} is closed at once.
   */
  synchronized void replaceCursor(PushCursor next) {
    PushCursor previous = cursor.getAndSet(closed ? null : next);
    if (previous != null) {
      previous.close();
    }
    if (closed && next != null) {
      next.close();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    replaceCursor(null);
  }
}
