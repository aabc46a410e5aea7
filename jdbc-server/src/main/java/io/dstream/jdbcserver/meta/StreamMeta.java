package io.dstream.jdbcserver.meta;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.jdbcserver.client.ProductVersion;
import io.dstream.jdbcserver.engine.SqlEngine;
import io.dstream.jdbcserver.engine.StatementResult;
import io.dstream.jdbcserver.engine.StatementResult.PushStream;
import io.dstream.jdbcserver.engine.StatementResult.RowSet;
import io.dstream.jdbcserver.engine.StatementResult.UpdateCount;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Avatica {@code Meta} of DStream SQL: runs each statement on a {@link SqlEngine} and serves
 * the result to the remote driver.
 *
 * <p>DDL becomes an update count; finite results (SHOW, EXPLAIN) one frame marked done; push
 * queries a never-ending result set: each fetch long-polls the {@link PushStream} for up to
 * {@value #FETCH_WAIT_MILLIS} ms and may return an empty frame, until the stream ends or the
 * statement's max row count is reached. Closing the statement or its connection stops the query.
 *
 * <p>A client that goes away without closing leaves its statements open: a connection with no
 * request for the idle timeout, naming it or one of its statements, is closed by {@link #sweep}
 * (which {@link JdbcServer} runs periodically), stopping its push queries.
 *
 * <p>There is no client connection on the server side, so the {@code connection} of
 * {@link MetaImpl} is null and every method that would use it is overridden. Thread-safe: Jetty
 * calls it from many request threads.
 */
public final class StreamMeta extends MetaImpl implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamMeta.class);

  /** How long the execute request waits for the first rows of a push query. */
  static final long FIRST_FRAME_WAIT_MILLIS = 200;
  /** How long one fetch waits for rows; far below the client's HTTP response timeout. */
  static final long FETCH_WAIT_MILLIS = 300;
  /** Rows per frame when the client does not say. */
  static final int DEFAULT_FRAME_ROWS = 100;
  /** Connection id of metadata result sets built by {@link MetaImpl}'s defaults. */
  private static final String NO_CONNECTION = "";

  /**
   * Connection property ({@code true}/{@code false}, default false) that makes prepare fail at
   * once when the statement cannot run. By default such a prepare succeeds (unknown columns, one
   * untyped parameter per {@code ?}) and every execution fails with the reason: the plain Avatica
   * driver replaces the message of a failed prepare with "while preparing SQL", but passes an
   * execute error's message on. {@code DStreamDriver} sets it: it reports the reason at prepare.
   */
  public static final String STRICT_PREPARE_PROPERTY = "dstream_strict_prepare";

  /** Default time after which a connection with no request is closed. */
  public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 300_000;

  private final SqlEngine engine;
  private final long idleTimeoutMillis;
  private final LongSupplier clock;
  /** Time of the last request per connection id, on {@link #clock}. */
  private final ConcurrentMap<String, Long> lastAccess = new ConcurrentHashMap<>();
  private final AtomicInteger nextStatementId = new AtomicInteger();
  private final ConcurrentMap<String, ConnectionPropertiesImpl> connections = new ConcurrentHashMap<>();
  private final ConcurrentMap<Integer, OpenStatement> statements = new ConcurrentHashMap<>();
  /** Connections opened with {@link #STRICT_PREPARE_PROPERTY} true. */
  private final Set<String> strictPrepare = ConcurrentHashMap.newKeySet();

  /** Serves {@code engine}, which the caller keeps owning, with the default idle timeout. */
  public StreamMeta(SqlEngine engine) {
    this(engine, DEFAULT_IDLE_TIMEOUT_MILLIS, StreamMeta::monotonicMillis);
  }

  /**
   * Serves {@code engine}; {@link #sweep} closes connections idle for {@code idleTimeoutMillis}
   * as {@code clock} (milliseconds, any origin) tells time.
   */
  StreamMeta(SqlEngine engine, long idleTimeoutMillis, LongSupplier clock) {
    super(null);
    if (idleTimeoutMillis < 1) {
      throw new IllegalArgumentException("idle timeout must be at least 1 ms, was " + idleTimeoutMillis);
    }
    this.engine = requireNonNull(engine, "engine is null");
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.clock = requireNonNull(clock, "clock is null");
  }

  static long monotonicMillis() {
    return System.nanoTime() / 1_000_000;
  }

  long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  // ---- idle connections --------------------------------------------------------------------

  private void touch(String connectionId) {
    if (connectionId != null) {
      lastAccess.put(connectionId, clock.getAsLong());
    }
  }

  /** Closes connections with no request since the idle timeout before the clock's time. */
  void sweep() {
    sweep(clock.getAsLong());
  }

  /**
   * Closes every connection whose last request came {@link #idleTimeoutMillis} or more before
   * {@code now}, with its statements and their push queries; returns how many were closed.
   */
  int sweep(long now) {
    int closed = 0;
    for (Map.Entry<String, Long> entry : List.copyOf(lastAccess.entrySet())) {
      if (now - entry.getValue() >= idleTimeoutMillis && lastAccess.remove(entry.getKey(), entry.getValue())) {
        LOG.info("Connection {} had no request for {} ms: closing it and its statements",
            entry.getKey(), now - entry.getValue());
        closeConnection(new ConnectionHandle(entry.getKey()));
        closed++;
      }
    }
    // A statement created while its connection was being swept is timed from now on.
    for (OpenStatement statement : statements.values()) {
      lastAccess.putIfAbsent(statement.connectionId(), now);
    }
    return closed;
  }

  // ---- connections -------------------------------------------------------------------------

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    touch(ch.id);
    connections.computeIfAbsent(ch.id, id -> defaultProperties());
    if (info != null && Boolean.parseBoolean(info.get(STRICT_PREPARE_PROPERTY))) {
      strictPrepare.add(ch.id);
    }
    LOG.debug("Connection {} opened", ch.id);
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    connections.remove(ch.id);
    strictPrepare.remove(ch.id);
    lastAccess.remove(ch.id);
    for (OpenStatement statement : List.copyOf(statements.values())) {
      if (statement.connectionId().equals(ch.id)) {
        statements.remove(statement.id(), statement);
        statement.close();
      }
    }
    LOG.debug("Connection {} closed", ch.id);
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties properties) {
    touch(ch.id);
    ConnectionPropertiesImpl current = connections.computeIfAbsent(ch.id, id -> defaultProperties());
    synchronized (current) {
      return current.merge(properties).setDirty(false);
    }
  }

  private static ConnectionPropertiesImpl defaultProperties() {
    return new ConnectionPropertiesImpl(
        true, false, Connection.TRANSACTION_NONE, CatalogListing.CATALOG, CatalogListing.SCHEMA);
  }

  @Override
  public void commit(ConnectionHandle ch) {
    // Statements take effect at once; there are no transactions.
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    // Nothing to undo: there are no transactions.
  }

  // ---- statements --------------------------------------------------------------------------

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    touch(ch.id);
    int id = nextStatementId.incrementAndGet();
    statements.put(id, new OpenStatement(ch.id, id));
    return new StatementHandle(ch.id, id, null);
  }

  /**
   * Remembers the SQL; it runs at execute time. The engine describes it first: a pull query's
   * signature has its parameters and columns; other statements have no parameters, and their
   * columns come with the execute response.
   *
   * <p>A statement the engine rejects with a user error (parameters outside a pull query, a
   * stream read by a pull query, ...) fails here only on a connection opened with
   * {@link #STRICT_PREPARE_PROPERTY}; elsewhere it is prepared with unknown columns and one
   * untyped parameter per {@code ?} (so that the client's set calls work), and each execution
   * fails with the engine's message.
   */
  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    touch(ch.id);
    SqlEngine.Prepared prepared;
    RuntimeException deferred = null;
    try {
      prepared = requireNonNull(engine.prepare(sql), "engine described nothing");
    } catch (EngineException e) {
      if (e.code().kind() != ErrorCode.Kind.USER || strictPrepare.contains(ch.id)) {
        throw ClientErrors.toClient(e);
      }
      LOG.debug("Statement prepared with an error reported at execute: {}", e.getMessage());
      deferred = e;
      prepared = SqlEngine.Prepared.UNKNOWN;
    } catch (RuntimeException e) {
      throw ClientErrors.toClient(e);
    }
    List<AvaticaParameter> parameters = new ArrayList<>();
    if (deferred == null) {
      for (int i = 0; i < prepared.parameterTypes().size(); i++) {
        parameters.add(ResultColumns.parameter(i, prepared.parameterTypes().get(i)));
      }
    } else {
      for (int i = 0; i < ParameterValues.countMarkers(sql); i++) {
        parameters.add(new AvaticaParameter(false, 0, 0, Types.OTHER, "ANY", Object.class.getName(), "?" + (i + 1)));
      }
    }
    StatementHandle handle = createStatement(ch);
    statements.get(handle.id).prepare(sql, maxRowCount, parameters, deferred);
    List<ColumnMetaData> columns =
        prepared.columns() == null ? List.of() : new ResultColumns(prepared.columns()).metadata();
    handle.signature = Signature.create(columns, sql, parameters, CursorFactory.LIST, StatementType.SELECT);
    return handle;
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, (int) Math.min(Integer.MAX_VALUE, maxRowCount));
  }

  /**
   * Runs a prepared statement with its parameter values. The remote driver passes its fetch size
   * as the last argument, so it only bounds the first frame; the row limit is the one given at
   * prepare time.
   */
  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    OpenStatement statement;
    try {
      statement = lookup(h);
    } catch (NoSuchStatementException e) {
      // Avatica's client cannot prepare again on its own, and its message would be empty.
      throw ClientErrors.user("This prepared statement no longer exists on the server: statements of a connection"
          + " idle for longer than the server's --idle-timeout are closed (or the server restarted); prepare it"
          + " again", "26000");
    }
    String sql =
        statement.preparedSql().orElseThrow(() -> ClientErrors.unsupported("Statement was not prepared"));
    if (statement.deferredError().isPresent()) {
      statement.replaceCursor(null);
      throw ClientErrors.toClient(statement.deferredError().get());
    }
    List<Object> values = ParameterValues.convert(parameterValues, statement.preparedParameters());
    return new ExecuteResult(List.of(
        run(statement, sql, values, statement.preparedParameters(), statement.preparedMaxRowCount(),
            maxRowsInFirstFrame)));
  }

  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h, String sql, long maxRowCount, PrepareCallback callback) throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, DEFAULT_FRAME_ROWS, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback)
      throws NoSuchStatementException {
    OpenStatement statement = lookup(h);
    return new ExecuteResult(List.of(run(statement, sql, List.of(), List.of(), maxRowCount, maxRowsInFirstFrame)));
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    OpenStatement statement = lookup(h);
    statement.replaceCursor(null);
    long[] counts = new long[sqlCommands.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = runForUpdateCount(sqlCommands.get(i));
    }
    return new ExecuteBatchResult(counts);
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    OpenStatement statement = lookup(h);
    String sql =
        statement.preparedSql().orElseThrow(() -> ClientErrors.unsupported("Statement was not prepared"));
    long[] counts = new long[parameterValues.size()];
    for (int i = 0; i < counts.length; i++) {
      if (parameterValues.get(i) != null && !parameterValues.get(i).isEmpty()) {
        throw ClientErrors.unsupported("Statement parameters are not supported");
      }
      counts[i] = runForUpdateCount(sql);
    }
    return new ExecuteBatchResult(counts);
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    OpenStatement statement = lookup(h);
    PushCursor cursor = statement.cursor().orElseThrow(() -> new MissingResultsException(h));
    int maxRows = fetchMaxRowCount > 0 ? fetchMaxRowCount : DEFAULT_FRAME_ROWS;
    try {
      return cursor.next(offset, maxRows, FETCH_WAIT_MILLIS);
    } catch (InterruptedException e) {
      throw ClientErrors.interrupted();
    } catch (RuntimeException e) {
      throw ClientErrors.toClient(e);
    }
  }

  @Override
  public boolean syncResults(StatementHandle h, QueryState state, long offset) throws NoSuchStatementException {
    // A push query cannot be rewound; report whether the current one still has rows to give.
    OpenStatement statement = lookup(h);
    return statement.cursor().map(cursor -> !cursor.isDone()).orElse(false);
  }

  @Override
  public void closeStatement(StatementHandle h) {
    touch(h.connectionId);
    OpenStatement statement = statements.remove(h.id);
    if (statement != null) {
      statement.close();
    }
  }

  @Override
  public Iterable<Object> createIterable(
      StatementHandle h, QueryState state, Signature signature, List<TypedValue> parameters, Frame firstFrame) {
    // Only a client-side Meta iterates; the server hands out frames.
    return firstFrame == null ? List.of() : firstFrame.rows;
  }

  /** Closes every open statement, stopping their push queries. */
  @Override
  public void close() {
    for (Integer id : List.copyOf(statements.keySet())) {
      OpenStatement statement = statements.remove(id);
      if (statement != null) {
        statement.close();
      }
    }
    connections.clear();
    lastAccess.clear();
  }

  /** The number of statements the server holds open, for tests and monitoring. */
  public int openStatementCount() {
    return statements.size();
  }

  private OpenStatement lookup(StatementHandle h) throws NoSuchStatementException {
    touch(h.connectionId);
    OpenStatement statement = statements.get(h.id);
    if (statement == null) {
      throw new NoSuchStatementException(h);
    }
    touch(statement.connectionId());
    return statement;
  }

  private MetaResultSet run(
      OpenStatement statement,
      String sql,
      List<Object> parameterValues,
      List<AvaticaParameter> parameters,
      long maxRowCount,
      int maxRowsInFirstFrame) {
    statement.replaceCursor(null);
    StatementResult result = executeOnEngine(sql, parameterValues);
    if (result instanceof UpdateCount count) {
      return MetaResultSet.count(statement.connectionId(), statement.id(), count.count());
    }
    if (result instanceof RowSet rowSet) {
      ResultColumns columns = new ResultColumns(rowSet.columns());
      List<Object[]> rows = rowSet.rows();
      if (maxRowCount > 0 && rows.size() > maxRowCount) {
        rows = rows.subList(0, (int) maxRowCount);
      }
      Frame frame = Frame.create(0, true, columns.toClientRows(rows));
      return MetaResultSet.create(
          statement.connectionId(), statement.id(), false, signature(sql, columns, parameters), frame);
    }
    PushStream stream = (PushStream) result;
    PushCursor cursor;
    try {
      cursor = new PushCursor(stream, new ResultColumns(stream.columns()), maxRowCount);
    } catch (RuntimeException e) {
      stream.close();
      throw ClientErrors.toClient(e);
    }
    statement.replaceCursor(cursor);
    int firstRows = maxRowsInFirstFrame > 0 ? maxRowsInFirstFrame : DEFAULT_FRAME_ROWS;
    Frame first;
    try {
      first = cursor.next(0, firstRows, FIRST_FRAME_WAIT_MILLIS);
    } catch (InterruptedException e) {
      statement.replaceCursor(null);
      throw ClientErrors.interrupted();
    } catch (RuntimeException e) {
      statement.replaceCursor(null);
      throw ClientErrors.toClient(e);
    }
    LOG.debug("Statement {} started a push query", statement.id());
    return MetaResultSet.create(
        statement.connectionId(), statement.id(), false, signature(sql, cursor.columns(), parameters), first);
  }

  private long runForUpdateCount(String sql) {
    StatementResult result = executeOnEngine(sql, List.of());
    if (result instanceof UpdateCount count) {
      return count.count();
    }
    if (result instanceof PushStream stream) {
      stream.close();
    }
    throw ClientErrors.unsupported("A batch may only contain statements that return no rows: " + sql);
  }

  private StatementResult executeOnEngine(String sql, List<Object> parameterValues) {
    try {
      return requireNonNull(
          parameterValues.isEmpty() ? engine.execute(sql) : engine.execute(sql, parameterValues),
          "engine returned no result");
    } catch (RuntimeException e) {
      throw ClientErrors.toClient(e);
    }
  }

  private static Signature signature(String sql, ResultColumns columns, List<AvaticaParameter> parameters) {
    return Signature.create(columns.metadata(), sql, parameters, CursorFactory.LIST, StatementType.SELECT);
  }

  // ---- DatabaseMetaData --------------------------------------------------------------------

  /**
   * The server's properties. The remote drivers answer getDatabaseProductName/Version,
   * getDatabaseMajor/MinorVersion and getDriverName from their own DriverVersion (the plain
   * Avatica driver says "Avatica"; {@code DStreamDriver} says {@value ProductVersion#PRODUCT_NAME}),
   * not from here; the function lists and the default transaction isolation do come from here.
   */
  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    touch(ch.id);
    Map<DatabaseProperty, Object> properties = new EnumMap<>(DatabaseProperty.class);
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, ProductVersion.PRODUCT_NAME);
    properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, ProductVersion.version());
    properties.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, ProductVersion.major());
    properties.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, ProductVersion.minor());
    properties.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_NONE);
    properties.put(DatabaseProperty.GET_NUMERIC_FUNCTIONS, "ABS,CEIL,FLOOR,MOD");
    properties.put(DatabaseProperty.GET_STRING_FUNCTIONS, "CHAR_LENGTH,LOWER,POSITION,SUBSTRING,TRIM,UPPER");
    properties.put(DatabaseProperty.GET_SYSTEM_FUNCTIONS, "");
    properties.put(DatabaseProperty.GET_TIME_DATE_FUNCTIONS, "");
    return properties;
  }

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return listing(ch, MetaCatalog.class, CatalogListing.catalogs());
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return listing(ch, MetaSchema.class, CatalogListing.schemas(catalog, schemaPattern.s));
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return listing(ch, MetaTableType.class, CatalogListing.tableTypes());
  }

  @Override
  public MetaResultSet getTables(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern, List<String> typeList) {
    return listing(
        ch,
        MetaTable.class,
        CatalogListing.tables(catalog(), catalog, schemaPattern.s, tableNamePattern.s, typeList));
  }

  @Override
  public MetaResultSet getColumns(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return listing(
        ch,
        MetaColumn.class,
        CatalogListing.columns(catalog(), catalog, schemaPattern.s, tableNamePattern.s, columnNamePattern.s));
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return listing(ch, MetaTypeInfo.class, CatalogListing.typeInfo());
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return listing(
        ch, CatalogListing.PrimaryKeyRow.class, CatalogListing.primaryKeys(catalog(), catalog, schema, table));
  }

  @Override
  public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern) {
    List<SqlEngine.FunctionEntry> functions;
    try {
      functions = engine.functions();
    } catch (RuntimeException e) {
      throw ClientErrors.toClient(e);
    }
    return listing(
        ch,
        CatalogListing.FunctionRow.class,
        CatalogListing.functions(functions, catalog, schemaPattern.s, functionNamePattern.s));
  }

  private List<SqlEngine.CatalogEntry> catalog() {
    try {
      return engine.catalog();
    } catch (RuntimeException e) {
      throw ClientErrors.toClient(e);
    }
  }

  /**
   * Builds a metadata result set from records of one of {@link MetaImpl}'s row classes: columns
   * named after their public fields, each row the list of field values in the same order.
   */
  private MetaResultSet listing(ConnectionHandle ch, Class<?> rowClass, List<?> records) {
    touch(ch.id);
    List<Field> fields = rowFields(rowClass);
    List<Object> rows = new ArrayList<>(records.size());
    for (Object record : records) {
      List<Object> row = new ArrayList<>(fields.size());
      for (Field field : fields) {
        try {
          row.add(field.get(record));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot read " + field, e);
        }
      }
      rows.add(row);
    }
    return metadataResult(ch.id, fieldMetaData(rowClass).columns, Frame.create(0, true, rows));
  }

  private static List<Field> rowFields(Class<?> rowClass) {
    List<Field> fields = new ArrayList<>();
    for (Field field : rowClass.getFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        fields.add(field);
      }
    }
    return fields;
  }

  /**
   * {@link MetaImpl}'s version asks the (null) connection for a statement; this one numbers the
   * result itself. It backs the inherited, empty DatabaseMetaData results (imported keys,
   * procedures, ...).
   */
  @Override
  protected MetaResultSet createResultSet(
      Map<String, Object> internalParameters,
      List<ColumnMetaData> columns,
      CursorFactory cursorFactory,
      Frame firstFrame) {
    return metadataResult(NO_CONNECTION, columns, firstFrame);
  }

  private MetaResultSet metadataResult(String connectionId, List<ColumnMetaData> columns, Frame frame) {
    Signature signature = Signature.create(columns, "", List.of(), CursorFactory.LIST, StatementType.SELECT);
    return MetaResultSet.create(connectionId, nextStatementId.incrementAndGet(), true, signature, frame);
  }
}
