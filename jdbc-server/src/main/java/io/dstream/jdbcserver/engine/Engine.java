package io.dstream.jdbcserver.engine;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.batch.ColumnBatch;
import io.dstream.executor.cluster.ClusterTransport;
import io.dstream.executor.cluster.InputReplicator;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.function.EvalMethod;
import io.dstream.executor.scheduler.Driver;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.scheduler.QueryProgress;
import io.dstream.executor.scheduler.QueryResume;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.sink.SinkFactory;
import io.dstream.executor.sink.SinkRegistry;
import io.dstream.executor.source.MemoryLog;
import io.dstream.executor.source.MemorySourceFactory;
import io.dstream.executor.source.SocketReceiver;
import io.dstream.executor.source.SocketSourceFactory;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.source.SourceFactory;
import io.dstream.executor.source.SourceRegistry;
import io.dstream.executor.source.StaticTableReader;
import io.dstream.executor.plan.TableData;
import io.dstream.executor.transport.InProcessTransport;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.DataType.Kind;
import io.dstream.executor.type.RowType;
import io.dstream.executor.transport.net.ProtocolConfig;
import io.dstream.executor.transport.net.SharedSecret;
import io.dstream.executor.type.Timestamps;
import io.dstream.parser.SqlParseFailure;
import io.dstream.parser.StreamSqlParser;
import io.dstream.parser.ddl.SqlCreateFunction;
import io.dstream.parser.ddl.SqlCreateMaterializedView;
import io.dstream.parser.ddl.SqlCreateStream;
import io.dstream.parser.ddl.SqlEmitChanges;
import io.dstream.parser.ddl.SqlDropObject;
import io.dstream.parser.ddl.SqlShow;
import io.dstream.planner.PlannedQuery;
import io.dstream.planner.StreamPlanner;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.FunctionDefinition;
import io.dstream.planner.catalog.StreamDefinition;
import io.dstream.planner.catalog.TableLoader;
import io.dstream.jdbcserver.view.PullQuery;
import io.dstream.jdbcserver.view.ChangeFeed;
import io.dstream.jdbcserver.view.ViewSink;
import io.dstream.jdbcserver.view.ViewSubscriber;
import io.dstream.jdbcserver.view.ViewSnapshot;
import io.dstream.jdbcserver.view.ViewTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: a catalog, a planner and a driver with in-process workers. Runs one SQL
 * statement at a time per call; calls may come from many threads.
 *
 * <p>With a checkpoint directory, the engine records its catalog and where each continuous query
 * with a sink (CREATE STREAM ... AS SELECT STREAM) stands after every batch (see {@link
 * EngineMetadata}); a new engine on the same directory restores the catalog and resumes those
 * queries with their ids at their next batch, so sinks, which ignore a repeated batch id, see
 * every batch exactly once. Push queries (SELECT STREAM to a client) are not resumed: their
 * client is gone with the old server. Queries reading 'memory' streams are not resumed either
 * (their input lived in the old process); their streams come back empty.
 */
public final class Engine implements SqlEngine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private final EngineConfig config;
  private final Catalog catalog = new Catalog();
  private final StreamPlanner planner = new StreamPlanner(catalog);
  private final Driver driver;
  private final MemorySourceFactory memory = new MemorySourceFactory();
  private final SocketSourceFactory socket = new SocketSourceFactory();
  private final SourceRegistry sources = SourceRegistry.defaults(memory, socket);
  private final SinkRegistry sinks = SinkRegistry.defaults();
  private final AtomicInteger queryIds = new AtomicInteger();
  private ClusterTransport cluster;
  /** Stores the input of memory and socket streams on workers, in cluster mode; else null. */
  private InputReplicator replicator;
  /** Guards {@link #ddl}, {@link #progress} and the metadata file. */
  private final Object metadataLock = new Object();
  /** The CREATE STREAM statements behind the catalog, by stream name, in creation order. */
  private final Map<String, EngineMetadata.CatalogEntry> ddl = new LinkedHashMap<>();
  /** Where each continuous query with a sink stands, by query id. */
  private final Map<String, QueryProgress> progress = new LinkedHashMap<>();
  private boolean restoring;
  /** Materialized views by lower-case name; apart from the planner's catalog of streams. */
  private final Map<String, MaterializedView> views = new java.util.concurrent.ConcurrentHashMap<>();

  /** A materialized view: its statement, the query that maintains it and its table. */
  private record MaterializedView(
      String name, String sql, String queryText, String query, ViewTable table, ViewSink sink,
      List<String> keyColumns) {}

  public Engine(EngineConfig config) {
    this.config = requireNonNull(config, "config is null");
    if (config.cluster() == null) {
      this.driver = new Driver(root -> new InProcessTransport(config.workers(), config.coresPerWorker(), root),
          config.batchIntervalMillis(), config.clock(), config.speculation(), config.checkpoint());
    } else {
      EngineConfig.Cluster c = config.cluster();
      this.driver = new Driver(root -> {
        cluster = ClusterTransport.start(c.host(), c.driverPort(), SharedSecret.of(c.secret()),
            ProtocolConfig.defaults());
        return cluster;
      }, config.batchIntervalMillis(), config.clock(), config.speculation(), config.checkpoint());
      // Remote workers cannot read the driver's memory: input nobody can replay is stored on
      // workers before it is acknowledged, and read from there.
      replicator = new InputReplicator(cluster);
      memory.replicateWith(replicator);
      socket.replicateWith(replicator);
    }
    driver.onLateRows(this::lateRows);
    if (config.checkpoint() != null) {
      try {
        restore();
      } catch (RuntimeException e) {
        driver.close();
        if (replicator != null) {
          replicator.close();
        }
        throw e;
      }
    }
  }

  /**
   * Re-runs the recorded DDL in order and resumes each recorded continuous query; a statement or
   * query that cannot be restored (its input gone, say) is logged and left out.
   */
  private void restore() {
    Optional<EngineMetadata> stored = EngineMetadata.read(config.checkpoint().directory());
    if (stored.isEmpty()) {
      return;
    }
    long startNanos = System.nanoTime();
    EngineMetadata metadata = stored.get();
    queryIds.set(metadata.nextQueryNumber());
    // Until everything is restored, the stored metadata stays as it was: a crash in between
    // must not lose the statements and queries not restored yet.
    synchronized (metadataLock) {
      restoring = true;
    }
    int resumed = 0;
    for (EngineMetadata.CatalogEntry entry : metadata.catalog()) {
      try {
        if (entry.query().isEmpty()) {
          execute(entry.sql());
          continue;
        }
        SqlCreateStream create = (SqlCreateStream) parse(entry.sql());
        Optional<QueryProgress> recorded = metadata.query(entry.query());
        if (recorded.isPresent() && !recorded.get().finished()) {
          createDerived(create, entry.sql(), entry.query(), recorded.get().resume());
          resumed++;
        } else {
          createDerived(create, entry.sql(), entry.query(), null);
        }
      } catch (SqlParseFailure e) {
        LOG.warn("Cannot restore '{}' after the restart; it is left out: {}", entry.sql(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("Cannot restore '{}' after the restart; it is left out: {}", entry.sql(), e.getMessage());
      }
    }
    synchronized (metadataLock) {
      restoring = false;
      writeMetadata();
    }
    LOG.info("Restored {} streams and resumed {} queries from {} in {} ms", ddl.size(), resumed,
        config.checkpoint().directory(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /** Records where a continuous query stands, if it is still recorded (not dropped meanwhile). */
  private void recordProgress(QueryProgress p) {
    synchronized (metadataLock) {
      if (progress.containsKey(p.query())) {
        progress.put(p.query(), p);
        writeMetadata();
      }
    }
  }

  private void recordDdl(String name, String sql, String query) {
    synchronized (metadataLock) {
      ddl.put(name, new EngineMetadata.CatalogEntry(name, sql, query));
      writeMetadata();
    }
  }

  private void writeMetadata() {
    synchronized (metadataLock) {
      if (config.checkpoint() == null || restoring) {
        return;
      }
      new EngineMetadata(queryIds.get(), new ArrayList<>(ddl.values()), new ArrayList<>(progress.values()))
          .write(config.checkpoint().directory());
    }
  }

  /** The driver's transport to worker processes, in cluster mode. */
  public Optional<ClusterTransport> cluster() {
    return Optional.ofNullable(cluster);
  }

  public EngineConfig config() {
    return config;
  }

  public Driver driver() {
    return driver;
  }

  /** The log behind a stream with connector 'memory', to which rows can be appended. */
  public MemoryLog memoryLog(String stream) {
    StreamDefinition d = catalog.get(stream);
    if (!d.connector().equalsIgnoreCase("memory")) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Stream '" + d.name() + "' is not a memory stream");
    }
    MemoryLog log = memory.log(d.name());
    log.bind(d.rowType());
    return log;
  }

  /** The receiver of a stream with connector 'socket': its bound port and the rows it received. */
  public SocketReceiver socketReceiver(String stream) {
    StreamDefinition d = catalog.get(stream);
    return socket.receiver(d.name()).orElseThrow(() -> new EngineException(ErrorCode.VALIDATION_ERROR,
        "Stream '" + d.name() + "' is not a socket stream"));
  }

  @Override
  public StatementResult execute(String sql) {
    SqlNode node = parse(sql);
    if (node instanceof SqlCreateStream create) {
      return create.query().isPresent() ? createDerived(create, sql, null, QueryResume.FRESH) : create(create, sql);
    }
    if (node instanceof SqlCreateMaterializedView create) {
      return createView(create, sql);
    }
    if (node instanceof SqlCreateFunction create) {
      return createFunction(create, sql);
    }
    if (node instanceof SqlDropObject drop) {
      return drop(drop);
    }
    if (node instanceof SqlShow show) {
      return show(show);
    }
    if (node instanceof SqlDescribeTable describe) {
      return describe(describe.getTable().names.get(describe.getTable().names.size() - 1));
    }
    if (node instanceof SqlExplain explain) {
      return explain(explain.getExplicandum());
    }
    if (node instanceof SqlInsert insert) {
      return insert(insert);
    }
    if (node.isA(SqlKind.QUERY) || node instanceof SqlEmitChanges) {
      return push(node, sql);
    }
    throw new EngineException(ErrorCode.UNSUPPORTED, "Statement not supported: " + node.getKind());
  }

  /** Whether {@code node} has a {@code ?}; statements that cannot be walked are taken to have none. */
  private static boolean hasParameters(SqlNode node) {
    boolean[] found = {false};
    try {
      node.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>() {
        @Override
        public Void visit(org.apache.calcite.sql.SqlDynamicParam param) {
          found[0] = true;
          return null;
        }
      });
    } catch (RuntimeException e) {
      return false;
    }
    return found[0];
  }

  private static SqlNode parse(String sql) {
    try {
      SqlNode node = StreamSqlParser.parse(sql);
      unqualify(node);
      return node;
    } catch (SqlParseFailure e) {
      throw new EngineException(ErrorCode.SYNTAX_ERROR, e.getMessage(), e);
    }
  }

  /** Strips the catalog and schema JDBC metadata shows from the names the statement's query reads. */
  private static void unqualify(SqlNode node) {
    if (node instanceof SqlCreateStream create) {
      FromNames.unqualifyName(create.name());
      create.query().ifPresent(FromNames::unqualify);
    } else if (node instanceof SqlCreateMaterializedView create) {
      FromNames.unqualifyName(create.name());
      FromNames.unqualify(create.query());
    } else if (node instanceof SqlDropObject drop) {
      FromNames.unqualifyName(drop.name());
    } else if (node instanceof SqlDescribeTable describe) {
      FromNames.unqualifyName(describe.getTable());
    } else if (node instanceof SqlInsert insert && insert.getTargetTable() instanceof SqlIdentifier target) {
      FromNames.unqualifyName(target);
      FromNames.unqualify(insert.getSource());
    } else if (node instanceof SqlExplain explain) {
      unqualify(explain.getExplicandum());
    } else if (node.isA(SqlKind.QUERY) || node instanceof SqlEmitChanges) {
      FromNames.unqualify(node);
    }
  }

  /**
   * INSERT INTO a memory stream: the rows are appended to its log and read by the next batch. In
   * cluster mode they are first stored on two workers; the statement fails when they cannot be.
   */
  private StatementResult insert(SqlInsert insert) {
    String target = InsertValues.target(insert);
    if (findView(target).isPresent()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "'" + findView(target).get().name() + "' is a"
          + " materialized view: its rows come from its query; INSERT INTO a memory stream it reads instead");
    }
    StreamDefinition d = catalog.get(target);
    if (d.kind() == StreamDefinition.Kind.TABLE) {
      throw new EngineException(ErrorCode.UNSUPPORTED, "Table '" + d.name() + "' is read from its csv file"
          + " when a query starts; INSERT INTO works on streams with connector 'memory'");
    }
    if (!d.connector().equalsIgnoreCase("memory")) {
      throw new EngineException(ErrorCode.UNSUPPORTED, "INSERT INTO works on streams with connector 'memory';"
          + " stream '" + d.name() + "' reads from its '" + d.connector() + "' connector");
    }
    List<Object[]> rows = InsertValues.rows(insert, d.rowType());
    memoryLog(d.name()).append(rows);
    return new StatementResult.UpdateCount(rows.size());
  }

  private StatementResult create(SqlCreateStream create, String sql) {
    StreamDefinition d = planner.define(create);
    if (d.kind() == StreamDefinition.Kind.TABLE) {
      checkTable(d);
    }
    if (d.connector().isEmpty()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Stream '" + d.name()
          + "' needs a connector: WITH (connector = 'csv' | 'nexmark' | 'memory' | 'socket', ...); available: "
          + String.join(", ", sources.connectors()));
    }
    if (catalog.find(d.name()).isPresent() || findView(d.name()).isPresent()) {
      if (create.ifNotExists()) {
        return new StatementResult.UpdateCount(0);
      }
      throw new EngineException(ErrorCode.ALREADY_EXISTS, (findView(d.name()).isPresent() ? "Materialized view"
          : noun(catalog.find(d.name()).get())) + " '" + d.name()
          + "' already exists");
    }
    SourceFactory factory = sources.factory(d.connector());
    factory.validate(d.name(), d.rowType(), d.options());
    if (d.allowedLatenessMillis() > 0 && !d.hasWatermark()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Option '" + StreamDefinition.ALLOWED_LATENESS
          + "' needs event time: declare WATERMARK FOR column AS column - INTERVAL ... in stream " + d.name());
    }
    factory.start(d.name(), d.rowType(), d.options());
    try {
      catalog.add(d, create.ifNotExists());
    } catch (RuntimeException e) {
      factory.drop(d.name());
      throw e;
    }
    recordDdl(d.name(), sql, "");
    String lateStream = d.options().get(LATE_DATA_STREAM);
    if (lateStream != null) {
      createLateStream(d, lateStream.trim());
    }
    return new StatementResult.UpdateCount(0);
  }

  /** Option of a stream: the memory stream that receives the rows its queries' windows drop as late. */
  static final String LATE_DATA_STREAM = "late.data.stream";
  /** The column of a late-data stream that names the query that dropped the row. */
  static final String LATE_QUERY_COLUMN = "query_id";

  /**
   * Creates (unless it exists) the memory stream that receives the late rows of stream
   * {@code d}: its columns and "query_id".
   */
  private void createLateStream(StreamDefinition d, String name) {
    Optional<StreamDefinition> existing = catalog.find(name);
    if (existing.isPresent()) {
      if (!existing.get().connector().equalsIgnoreCase("memory")) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Option '" + LATE_DATA_STREAM + "' of stream "
            + d.name() + " names stream " + name + ", which is not a memory stream");
      }
      return;
    }
    StringBuilder ddl = new StringBuilder("CREATE STREAM IF NOT EXISTS \"").append(name).append("\" (");
    for (io.dstream.executor.type.Column c : d.rowType().columns()) {
      ddl.append('"').append(c.name()).append("\" ").append(c.type().sqlName()).append(", ");
    }
    ddl.append(LATE_QUERY_COLUMN).append(" VARCHAR) WITH (connector = 'memory')");
    execute(ddl.toString());
    LOG.info("Stream {}: rows too late for its windows go to memory stream {}", d.name(), name);
  }

  /** Appends late rows of a query to the late-data stream of its input stream, if it has one. */
  private void lateRows(QueryDag dag, String stream, long batch, ColumnBatch rows) {
    Optional<StreamDefinition> source = catalog.find(stream);
    String target = source.map(s -> s.options().get(LATE_DATA_STREAM)).orElse(null);
    if (target == null || catalog.find(target.trim()).isEmpty()) {
      return;
    }
    StreamDefinition late = catalog.get(target.trim());
    List<Object[]> values = Rows.toRows(rows);
    int[] from = new int[late.rowType().size()];
    for (int c = 0; c < from.length; c++) {
      String name = late.rowType().column(c).name();
      from[c] = name.equalsIgnoreCase(LATE_QUERY_COLUMN) ? -2 : rows.rowType().indexOf(name).orElse(-1);
    }
    List<Object[]> out = new ArrayList<>(values.size());
    for (Object[] v : values) {
      Object[] row = new Object[from.length];
      for (int c = 0; c < from.length; c++) {
        row[c] = from[c] == -2 ? dag.query() : from[c] < 0 ? null : v[from[c]];
      }
      out.add(row);
    }
    memoryLog(late.name()).append(out);
  }

  /**
   * A static table (CREATE TABLE) is read to its end when a query joining with it starts, so it
   * needs a bounded connector: csv, not followed. It has no event time.
   */
  private static void checkTable(StreamDefinition d) {
    if (d.hasWatermark()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Table '" + d.name() + "' cannot have a WATERMARK:"
          + " a table has no event time; declare a stream (CREATE STREAM) for data that arrives over time");
    }
    if (!d.connector().equalsIgnoreCase("csv")) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Table '" + d.name() + "' needs WITH (connector ="
          + " 'csv', path = '...'): a table is read once, to its end, when a query joining with it starts,"
          + " and csv is the connector tables support"
          + (d.connector().isEmpty() ? "" : " (not '" + d.connector() + "')"));
    }
    for (Map.Entry<String, String> option : d.options().entrySet()) {
      if (option.getKey().equalsIgnoreCase("follow") && option.getValue().strip().equalsIgnoreCase("true")) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Table '" + d.name() + "' cannot follow its"
            + " file ('follow' = 'true'): a table is read once, when a query joining with it starts; declare"
            + " a stream to follow a growing file");
      }
    }
  }

  /**
   * Reads a static table for a query that is about to start: on the driver, to its end, in a
   * memory pool of its own; the rows go to workers inside the query's plan.
   */
  private TableData loadTable(StreamDefinition d) {
    long startNanos = System.nanoTime();
    SourceFactory factory = sources.factory(d.connector());
    try (BufferAllocator allocator = new RootAllocator();
        Source source = factory.create(d.name(), d.rowType(), d.options(), config.clock())) {
      TableData data = StaticTableReader.read(d.name(), source, allocator);
      LOG.info("Table {} read for a query: {} rows, {} bytes in {} ms", d.name(), data.rows(),
          data.sizeInBytes(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return data;
    }
  }

  private static String noun(StreamDefinition d) {
    return d.kind() == StreamDefinition.Kind.TABLE ? "Table" : "Stream";
  }

  /**
   * CREATE STREAM ... AS SELECT: adds the stream and starts its query as {@code resume} says,
   * with id {@code id} (null: a new one); a null {@code resume} adds the stream only (restoring
   * one whose query finished or was dropped).
   */
  private StatementResult createDerived(SqlCreateStream create, String sql, String id, QueryResume resume) {
    String name = create.name().getSimple();
    if (catalog.find(name).isPresent() || findView(name).isPresent()) {
      if (create.ifNotExists()) {
        return new StatementResult.UpdateCount(0);
      }
      throw new EngineException(ErrorCode.ALREADY_EXISTS, "Stream '" + name + "' already exists");
    }
    Map<String, String> options = create.options();
    String connector = options.getOrDefault("connector", "");
    if (connector.isEmpty()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "CREATE STREAM " + name
          + " AS SELECT needs a sink: WITH (connector = 'csv', path = '...') or connector = 'blackhole'");
    }
    PlannedQuery planned = planner.plan(create.query().get(),
        resume == null ? TableLoader.DEFERRED : this::loadTable);
    SinkFactory factory = sinks.factory(connector);
    factory.validate(name, planned.rowType(), options);
    if (resume == null) {
      catalog.add(new StreamDefinition(name, StreamDefinition.Kind.STREAM, planned.rowType(), -1, 0, options, sql),
          false);
      recordDdl(catalog.get(name).name(), sql, id);
      return new StatementResult.UpdateCount(0);
    }
    QueryDag dag = driver.dag("check", planned.plan());
    List<Source> source = sources(dag);
    Sink sink = factory.create(name, planned.rowType(), options);
    catalog.add(new StreamDefinition(name, StreamDefinition.Kind.STREAM, planned.rowType(), -1, 0, options, sql),
        false);
    String query = id == null ? nextQueryId() : id;
    synchronized (metadataLock) {
      progress.put(query, resume.isFresh() ? QueryProgress.started(query)
          : progress(query, resume));
      recordDdl(catalog.get(name).name(), sql, query);
    }
    try {
      driver.start(query, sql, planned.plan(), source, descriptors(dag), sink, resume, this::recordProgress);
    } catch (RuntimeException e) {
      synchronized (metadataLock) {
        progress.remove(query);
        writeMetadata();
      }
      throw e;
    }
    return new StatementResult.UpdateCount(0);
  }

  private StatementResult push(SqlNode statement, String sql) {
    SqlNode query = statement instanceof SqlEmitChanges emit ? emit.query() : statement;
    List<String> read = new ArrayList<>();
    FromNames.collect(query, false, read);
    List<String> viewsRead = read.stream().filter(n -> findView(n).isPresent()).toList();
    SqlNode core = query instanceof org.apache.calcite.sql.SqlOrderBy orderBy ? orderBy.query : query;
    boolean stream = core instanceof SqlSelect select
        && select.isKeywordPresent(org.apache.calcite.sql.SqlSelectKeyword.STREAM);
    if (!viewsRead.isEmpty() && (stream || statement instanceof SqlEmitChanges)) {
      return subscribe(query, read, findView(viewsRead.get(0)).get());
    }
    if (!stream && !(statement instanceof SqlEmitChanges) && isPullQuery(read)) {
      return pull(query, read); // views, tables, constants (SELECT 1), or unknown names Calcite reports
    }
    if (!read.isEmpty() && read.stream().allMatch(this::isPullable)) {
      String table = catalog.get(read.get(0)).name();
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Table '" + table + "' is static and has no changes"
          + " to stream: read it with SELECT ... FROM " + table + " (a pull query), or join it with a stream");
    }
    if (!(query instanceof SqlSelect select) || !select.isKeywordPresent(
        org.apache.calcite.sql.SqlSelectKeyword.STREAM)) {
      if (query instanceof SqlSelect) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "Streams are read with SELECT STREAM ...;"
            + " pull queries on streams come with materialized views");
      }
    }
    PlannedQuery planned = planner.plan(statement, this::loadTable);
    String id = nextQueryId();
    QueryDag dag = driver.dag(id, planned.plan());
    List<Source> source = sources(dag);
    PushSink sink = new PushSink(planned.rowType(), config.pushBufferRows(), () -> driver.stop(id));
    driver.start(id, sql, planned.plan(), source, descriptors(dag), sink, QueryResume.FRESH,
        io.dstream.executor.scheduler.QueryProgressListener.NONE);
    return sink;
  }

  /**
   * SELECT STREAM ... FROM view (EMIT CHANGES allowed, and the same): a push query of the view's
   * changelog through a {@link ChangeFeed}; the view's rows when it starts come first, as '+I'.
   * Its buffer is bounded like any push query's, but an overflow ends only this reader, never the
   * view's query.
   */
  private StatementResult subscribe(SqlNode query, List<String> read, MaterializedView view) {
    for (String n : read) {
      if (findView(n).map(v -> v != view).orElse(true)) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "SELECT STREAM on materialized view '" + view.name()
            + "' reads that view alone (it subscribes to its changelog); '" + n + "' cannot be read with it");
      }
    }
    if (!(query instanceof SqlSelect select)) {
      throw new EngineException(ErrorCode.UNSUPPORTED, "SELECT STREAM on materialized view '" + view.name()
          + "' subscribes to its changelog and allows a column list and WHERE only, not "
          + (query instanceof org.apache.calcite.sql.SqlOrderBy ? "ORDER BY/LIMIT" : "set operations")
          + ": run that as a pull query (SELECT without STREAM), or as a materialized view of its own");
    }
    if (view.sink().failure() != null) {
      throw viewFailed(view);
    }
    ChangeFeed feed = ChangeFeed.open(view.name(), view.table().rowType(), select);
    PushSink[] push = new PushSink[1];
    java.util.concurrent.atomic.AtomicBoolean starting = new java.util.concurrent.atomic.AtomicBoolean(true);
    ViewSubscriber reader = new ViewSubscriber() {
      @Override
      public boolean changes(List<Object[]> changes) {
        if (starting.get() && changes.size() > config.pushBufferRows()) {
          // The view's rows now, which the subscription starts with, do not fit: say so, not "a batch".
          push[0].fail(new EngineException(ErrorCode.RESOURCE_EXHAUSTED, "Materialized view '" + view.name()
              + "' has " + changes.size() + " rows to start the subscription with (after its WHERE), more than the"
              + " buffer of " + config.pushBufferRows() + " rows of a push query: narrow it with WHERE, read it"
              + " with a pull query, or raise the server's --push-buffer-rows"));
          return false;
        }
        return push[0].offer(changes);
      }

      @Override
      public void ended(Throwable failure) {
        if (failure == null) {
          push[0].finish();
        } else {
          push[0].fail(view.sink().failure() == failure ? viewFailed(view) : failure);
        }
      }
    };
    push[0] = new PushSink(feed.columns(), config.pushBufferRows(), () -> {
      view.sink().unsubscribe(feed);
      feed.close();
    }, "subscription was ended (the view goes on)");
    view.sink().subscribe(feed.to(reader)); // delivers the view's rows now, in this call
    starting.set(false);
    return push[0];
  }

  /**
   * CREATE MATERIALIZED VIEW name AS SELECT STREAM ...: starts the query in changelog mode (as
   * if EMIT CHANGES were given) into a {@link ViewSink} that maintains the view's table and
   * publishes a snapshot after every batch. A query that cannot emit a changelog (joins,
   * deduplication) runs with final results, each an insert. The view is recorded with the DDL;
   * a restarted engine re-runs its query from the start of its input.
   */
  private StatementResult createView(SqlCreateMaterializedView create, String sql) {
    String name = create.name().getSimple();
    if (catalog.find(name).isPresent() || findView(name).isPresent()) {
      if (create.ifNotExists()) {
        return new StatementResult.UpdateCount(0);
      }
      throw new EngineException(ErrorCode.ALREADY_EXISTS, (findView(name).isPresent() ? "Materialized view '"
          : noun(catalog.find(name).get()) + " '") + name + "' already exists");
    }
    if (create.getReplace()) {
      throw new EngineException(ErrorCode.UNSUPPORTED,
          "CREATE OR REPLACE MATERIALIZED VIEW is not supported; DROP MATERIALIZED VIEW first");
    }
    if (!create.options().isEmpty()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Materialized view " + name
          + " takes no options yet; remove WITH (" + String.join(", ", create.options().keySet()) + ")");
    }
    SqlNode query = create.query() instanceof SqlEmitChanges emit ? emit.query() : create.query();
    if (!(query instanceof SqlSelect select)
        || !select.isKeywordPresent(org.apache.calcite.sql.SqlSelectKeyword.STREAM)) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Materialized view " + name
          + " is defined by a continuous query: CREATE MATERIALIZED VIEW " + name + " AS SELECT STREAM ...");
    }
    List<String> read = new ArrayList<>();
    FromNames.collect(query, false, read);
    for (String n : read) {
      if (findView(n).isPresent()) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "Materialized view " + name + " cannot read materialized"
            + " view '" + findView(n).get().name() + "': views are defined over streams");
      }
    }
    PlannedQuery planned;
    boolean changelog = true;
    try {
      planned = planner.plan(new SqlEmitChanges(query.getParserPosition(), query), this::loadTable);
    } catch (EngineException e) {
      if (e.code() != ErrorCode.UNSUPPORTED) {
        throw e;
      }
      try {
        planned = planner.plan(query, this::loadTable);
      } catch (EngineException fallback) {
        // A view is a changelog first: a hint to add EMIT CHANGES would not help; say why that failed.
        if (!fallback.getMessage().contains("EMIT CHANGES")) {
          throw fallback;
        }
        throw new EngineException(e.code(), "Materialized view " + name + " is kept up to date from a changelog"
            + " of its query (as with EMIT CHANGES), which cannot be made: " + e.getMessage()
            + "; a GROUP BY over a window (TUMBLE, HOP) gives final results instead", e);
      }
      changelog = false;
    }
    RowType type = planned.rowType();
    RowType viewType = changelog ? new RowType(type.columns().subList(1, type.size())) : type;
    String id = nextQueryId();
    QueryDag dag = driver.dag(id, planned.plan());
    List<Source> source = sources(dag);
    ViewTable table = new ViewTable(viewType);
    ViewSink sink = new ViewSink(table, changelog, Rows::toRows, config.clock());
    String text = sql.strip().endsWith(";") ? sql.strip().substring(0, sql.strip().length() - 1) : sql.strip();
    MaterializedView view = new MaterializedView(name, sql, text.replaceAll("\\s+", " "), id, table, sink,
        GroupKeys.of(select, viewType));
    views.put(key(name), view);
    try {
      driver.start(id, sql, planned.plan(), source, descriptors(dag), sink, QueryResume.FRESH, sink);
    } catch (RuntimeException e) {
      views.remove(key(name));
      throw e;
    }
    recordDdl(name, sql, "");
    return new StatementResult.UpdateCount(0);
  }

  private StatementResult dropView(String name, boolean ifExists) {
    Optional<MaterializedView> view = findView(name);
    if (view.isEmpty()) {
      if (catalog.find(name).isPresent()) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "'" + catalog.get(name).name() + "' is a "
            + noun(catalog.get(name)).toLowerCase(java.util.Locale.ROOT) + ", not a materialized view");
      }
      if (ifExists) {
        return new StatementResult.UpdateCount(0);
      }
      throw new EngineException(ErrorCode.NOT_FOUND, "Materialized view '" + name
          + "' does not exist; SHOW VIEWS lists them");
    }
    views.remove(key(view.get().name()));
    driver.stop(view.get().query());
    view.get().table().clear();
    synchronized (metadataLock) {
      ddl.remove(view.get().name());
      writeMetadata();
    }
    return new StatementResult.UpdateCount(0);
  }

  /**
   * A pull query (SELECT without STREAM) over materialized views: one snapshot of each view,
   * taken now, is what the query reads; Calcite runs it.
   */
  private StatementResult pull(SqlNode query, List<String> read) {
    return pull(query, read, List.of());
  }

  private StatementResult pull(SqlNode query, List<String> read, List<Object> parameters) {
    checkPullReads(read);
    for (String n : read) {
      Optional<MaterializedView> view = findView(n);
      if (view.isPresent() && view.get().sink().failure() != null) {
        throw viewFailed(view.get());
      }
    }
    PullQuery.Result result = PullQuery.run(pullText(query), pullInputs(read, true), parameters);
    return new StatementResult.RowSet(result.columns(), result.rows());
  }

  private void checkPullReads(List<String> read) {
    for (String n : read) {
      if (findView(n).isEmpty() && catalog.find(n).isPresent()
          && catalog.get(n).kind() != StreamDefinition.Kind.TABLE) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "A pull query reads materialized views and tables;"
            + " stream '" + catalog.get(n).name() + "' is read with SELECT STREAM ...");
      }
    }
  }

  /**
   * What a pull query reads: one snapshot of each view, taken now, and the rows of each static
   * table it names, read now ({@code withTableRows} false: no rows, for describing the query).
   */
  private List<PullQuery.Input> pullInputs(List<String> read, boolean withTableRows) {
    List<PullQuery.Input> inputs = new ArrayList<>();
    for (MaterializedView v : views.values()) {
      inputs.add(new PullQuery.Input(v.name(), v.table().rowType(), v.table().snapshot()));
    }
    Set<String> tables = new java.util.HashSet<>();
    for (String n : read) {
      Optional<StreamDefinition> d = catalog.find(n);
      if (findView(n).isEmpty() && d.isPresent() && d.get().kind() == StreamDefinition.Kind.TABLE
          && tables.add(key(d.get().name()))) {
        inputs.add(PullQuery.Input.table(d.get().name(), d.get().rowType(),
            withTableRows ? tableRows(d.get()) : List.of()));
      }
    }
    return inputs;
  }

  /** All rows of a static table, read to its end now. */
  private List<Object[]> tableRows(StreamDefinition d) {
    TableData data = loadTable(d);
    try (BufferAllocator allocator = new RootAllocator();
        ColumnBatch batch = io.dstream.executor.codec.BatchCodec.decode(data.ipc(), allocator, d.rowType())) {
      return Rows.toRows(batch);
    }
  }

  private static String pullText(SqlNode query) {
    return query.toSqlString(org.apache.calcite.sql.dialect.CalciteSqlDialect.DEFAULT).getSql();
  }

  /**
   * Whether a query without STREAM reading {@code read} is a pull query: it reads no stream (views,
   * tables, unknown names, or nothing), or it reads a view or table, and is refused if it also
   * reads a stream (see {@link #checkPullReads}).
   */
  private boolean isPullQuery(List<String> read) {
    return read.stream().noneMatch(this::isStream) || read.stream().anyMatch(this::isPullable);
  }

  /** The error of reading a view whose query failed: its rows would be stale. */
  private static EngineException viewFailed(MaterializedView view) {
    Throwable cause = view.sink().failure();
    return new EngineException(ErrorCode.NOT_AVAILABLE, "Materialized view '" + view.name() + "' is not"
        + " maintained any more: its query " + view.query() + " failed (" + cause.getMessage() + "); DROP"
        + " MATERIALIZED VIEW " + view.name() + " and create it again once the cause is fixed", cause);
  }

  /** Whether {@code name} is a stream (not a view, not a static table). */
  private boolean isStream(String name) {
    return findView(name).isEmpty()
        && catalog.find(name).map(d -> d.kind() != StreamDefinition.Kind.TABLE).orElse(false);
  }

  /** Whether {@code name} is what a pull query reads: a materialized view or a static table. */
  private boolean isPullable(String name) {
    return findView(name).isPresent()
        || catalog.find(name).map(d -> d.kind() == StreamDefinition.Kind.TABLE).orElse(false);
  }

  /** The names a pull query reads, or empty if {@code node} is not a pull query on views or tables. */
  private Optional<List<String>> pullQueryReads(SqlNode node) {
    if (node instanceof SqlEmitChanges || !node.isA(SqlKind.QUERY)) {
      return Optional.empty();
    }
    if (node instanceof SqlSelect select && select.isKeywordPresent(org.apache.calcite.sql.SqlSelectKeyword.STREAM)) {
      return Optional.empty();
    }
    List<String> read = new ArrayList<>();
    FromNames.collect(node, false, read);
    return isPullQuery(read) ? Optional.of(read) : Optional.empty();
  }

  /**
   * Runs a statement with parameter values: only a pull query takes them; Calcite binds them.
   */
  @Override
  public StatementResult execute(String sql, List<Object> parameters) {
    if (parameters.isEmpty()) {
      return execute(sql);
    }
    SqlNode node = parse(sql);
    Optional<List<String>> read = pullQueryReads(node);
    if (read.isEmpty()) {
      throw new EngineException(ErrorCode.UNSUPPORTED,
          "Statement parameters (?) are supported in pull queries on materialized views only");
    }
    return pull(node, read.get(), parameters);
  }

  /**
   * Describes a pull query (its parameters and columns, from Calcite's prepare); rejects
   * parameters anywhere else. A statement that does not parse fails here, with its syntax error.
   */
  @Override
  public Prepared prepare(String sql) {
    SqlNode node = parse(sql); // a syntax error is reported when the statement is prepared
    Optional<List<String>> read = pullQueryReads(node);
    if (read.isPresent()) {
      checkPullReads(read.get());
      PullQuery.Description d = PullQuery.describe(pullText(node), pullInputs(read.get(), false));
      return new Prepared(d.parameterTypes(), d.columns());
    }
    if (hasParameters(node)) {
      throw new EngineException(ErrorCode.UNSUPPORTED,
          "Statement parameters (?) are supported in pull queries on materialized views only");
    }
    return Prepared.UNKNOWN;
  }

  private StatementResult showViews() {
    List<Object[]> rows = new ArrayList<>();
    for (MaterializedView v : views.values()) {
      ViewSnapshot snapshot = v.table().snapshot();
      rows.add(new Object[] {v.name(), v.query(),
          snapshot.hasBatch() ? snapshot.batch() : null,
          snapshot.hasBatch() ? snapshot.batchTime() : null, snapshot.rowCount(),
          (long) v.sink().subscriberCount(), viewState(v), v.queryText()});
    }
    rows.sort((a, b) -> ((String) a[0]).compareToIgnoreCase((String) b[0]));
    // The statement comes last: it is long, and a table printer would push the figures off screen.
    RowType type = new RowType(List.of(text("view_name"), text("query_id"), bigint("last_batch"),
        new Column("batch_time", DataType.of(Kind.TIMESTAMP)), bigint("row_count"), bigint("subscribers"),
        text("state"), text("query")));
    return new StatementResult.RowSet(type, rows);
  }

  /** RUNNING, FINISHED (its input ended: the rows are final) or FAILED: the reason. */
  private static String viewState(MaterializedView v) {
    Throwable failure = v.sink().failure();
    if (failure != null) {
      return "FAILED: " + failure.getMessage();
    }
    return v.sink().ended() ? "FINISHED" : "RUNNING";
  }

  /**
   * A view's columns; "key_seq" is a column's position (from 1) among the view's key columns
   * (its GROUP BY keys, what DatabaseMetaData.getPrimaryKeys reports), null for other columns;
   * the first row's "freshness" tells the batch its rows are as of.
   */
  private StatementResult describeView(MaterializedView view) {
    ViewSnapshot snapshot = view.table().snapshot();
    String freshness = snapshot.hasBatch()
        ? "batch " + snapshot.batch() + " at " + Timestamps.format(snapshot.batchTime()) + ", "
            + snapshot.rowCount() + (snapshot.rowCount() == 1 ? " row" : " rows")
        : "no batch completed yet";
    if (view.sink().failure() != null) {
      freshness += "; its query failed, the view is not maintained: " + view.sink().failure().getMessage();
    }
    RowType type = view.table().rowType();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < type.size(); i++) {
      Column c = type.column(i);
      int key = view.keyColumns().indexOf(c.name());
      rows.add(new Object[] {c.name(), c.type().sqlName(), c.type().nullable() ? "YES" : "NO",
          key < 0 ? null : (long) key + 1, i == 0 ? freshness : null, i == 0 ? view.queryText() : null});
    }
    return new StatementResult.RowSet(new RowType(List.of(text("column_name"), text("type"), text("nullable"),
        bigint("key_seq"), text("freshness"), text("query"))), rows);
  }

  /** A materialized view as monitoring shows it: its freshness, size and subscribers. */
  public record ViewStatus(String name, String query, long lastBatch, long batchTime, long rows, int subscribers,
      String state) {}

  /** The materialized views now, by name; {@code lastBatch} is -1 before the first batch. */
  public List<ViewStatus> viewStatus() {
    List<ViewStatus> out = new ArrayList<>();
    for (MaterializedView v : views.values()) {
      ViewSnapshot snapshot = v.table().snapshot();
      out.add(new ViewStatus(v.name(), v.query(), snapshot.batch(), snapshot.hasBatch() ? snapshot.batchTime() : 0,
          snapshot.rowCount(), v.sink().subscriberCount(), viewState(v)));
    }
    out.sort(java.util.Comparator.comparing(ViewStatus::name, String.CASE_INSENSITIVE_ORDER));
    return out;
  }

  private Optional<MaterializedView> findView(String name) {
    return Optional.ofNullable(views.get(key(name)));
  }

  private static String key(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  /** A reader per input branch of the query, in branch order; closes those made when one fails. */
  private List<Source> sources(QueryDag dag) {
    List<Source> out = new ArrayList<>();
    try {
      for (QueryDag.Branch branch : dag.branches()) {
        out.add(source(branch.scan().stream()));
      }
    } catch (RuntimeException e) {
      out.forEach(Source::close);
      throw e;
    }
    return out;
  }

  private List<SourceDescriptor> descriptors(QueryDag dag) {
    List<SourceDescriptor> out = new ArrayList<>();
    for (QueryDag.Branch branch : dag.branches()) {
      StreamDefinition d = catalog.get(branch.scan().stream());
      out.add(new SourceDescriptor(d.name(), d.connector(), d.rowType(), d.options()));
    }
    return out;
  }

  private Source source(String stream) {
    StreamDefinition d = catalog.get(stream);
    if (d.query() != null) {
      throw new EngineException(ErrorCode.UNSUPPORTED, "Stream '" + d.name()
          + "' is the output of a continuous query; reading it back is not supported yet");
    }
    SourceFactory factory = sources.factory(d.connector());
    if (factory instanceof MemorySourceFactory) {
      memory.log(d.name()).bind(d.rowType());
    }
    return factory.create(d.name(), d.rowType(), d.options(), config.clock());
  }

  /** The progress a resumed query stands at until its first batch in this engine. */
  private static QueryProgress progress(String query, QueryResume resume) {
    return new QueryProgress(query, resume.nextBatch() - 1, resume.watermark(), resume.sourcePosition(),
        resume.lineage(), false);
  }

  private String nextQueryId() {
    return "q" + queryIds.incrementAndGet();
  }

  private StatementResult drop(SqlDropObject drop) {
    String name = drop.name().getSimple();
    switch (drop.kind()) {
      case QUERY -> {
        Optional<MaterializedView> view = viewOfQuery(name);
        if (view.isPresent()) {
          throw new EngineException(ErrorCode.VALIDATION_ERROR, "Query " + view.get().query()
              + " maintains materialized view " + view.get().name() + "; DROP MATERIALIZED VIEW "
              + view.get().name() + " stops it");
        }
        forget(name);
        if (!driver.stop(name) && !drop.ifExists()) {
          throw new EngineException(ErrorCode.NOT_FOUND, "Query '" + name + "' does not exist; SHOW QUERIES lists them");
        }
        return new StatementResult.UpdateCount(0);
      }
      case STREAM, TABLE -> {
        Optional<StreamDefinition> d = catalog.find(name);
        if (d.isEmpty()) {
          if (findView(name).isPresent()) {
            throw new EngineException(ErrorCode.VALIDATION_ERROR, "'" + findView(name).get().name()
                + "' is a materialized view; use DROP MATERIALIZED VIEW " + findView(name).get().name());
          }
          if (drop.ifExists()) {
            return new StatementResult.UpdateCount(0);
          }
          throw new EngineException(ErrorCode.NOT_FOUND, (drop.kind() == SqlDropObject.Kind.TABLE ? "Table '"
              : "Stream '") + name + "' does not exist");
        }
        boolean isTable = d.get().kind() == StreamDefinition.Kind.TABLE;
        if (isTable != (drop.kind() == SqlDropObject.Kind.TABLE)) {
          throw new EngineException(ErrorCode.VALIDATION_ERROR, "'" + d.get().name() + "' is a "
              + (isTable ? "table; use DROP TABLE " : "stream; use DROP STREAM ") + d.get().name());
        }
        List<QueryExecution> readers = new ArrayList<>();
        for (QueryExecution q : driver.queries()) {
          if (q.state() == io.dstream.executor.scheduler.QueryState.RUNNING && (isTable
              ? q.dag().tables().stream().anyMatch(t -> t.equalsIgnoreCase(d.get().name()))
              : q.dag().branches().stream().anyMatch(b -> b.scan().stream().equalsIgnoreCase(d.get().name())))) {
            readers.add(q);
          }
        }
        if (!readers.isEmpty()) {
          throw new EngineException(ErrorCode.VALIDATION_ERROR, (isTable ? "Table '" : "Stream '") + d.get().name()
              + (isTable ? "' is joined by " : "' is read by ") + readersOf(readers));
        }
        if (d.get().query() != null) {
          for (QueryExecution q : driver.queries()) {
            if (q.sql().equals(d.get().query())) {
              forget(q.id());
              driver.stop(q.id());
            }
          }
        }
        catalog.remove(d.get().name());
        if (d.get().query() == null) {
          sources.factory(d.get().connector()).drop(d.get().name());
        }
        synchronized (metadataLock) {
          ddl.remove(d.get().name());
          writeMetadata();
        }
        return new StatementResult.UpdateCount(0);
      }
      case FUNCTION -> {
        return dropFunction(name, drop.ifExists());
      }
      case MATERIALIZED_VIEW -> {
        return dropView(name, drop.ifExists());
      }
      default -> throw new EngineException(ErrorCode.UNSUPPORTED, "DROP " + drop.kind() + " is not supported");
    }
  }

  /** The materialized view that query {@code id} maintains, if it is a view's query. */
  private Optional<MaterializedView> viewOfQuery(String id) {
    return views.values().stream().filter(v -> v.query().equalsIgnoreCase(id)).findFirst();
  }

  /**
   * Who reads a stream or table, and how to stop them: "running query q3 and materialized view v;
   * DROP QUERY q3 and DROP MATERIALIZED VIEW v first".
   */
  private String readersOf(List<QueryExecution> queries) {
    List<String> who = new ArrayList<>();
    List<String> drops = new ArrayList<>();
    for (QueryExecution q : queries) {
      Optional<MaterializedView> view = viewOfQuery(q.id());
      who.add(view.isPresent() ? "materialized view " + view.get().name() : "running query " + q.id());
      drops.add(view.isPresent() ? "DROP MATERIALIZED VIEW " + view.get().name() : "DROP QUERY " + q.id());
    }
    return String.join(", ", who) + "; " + String.join(", ", drops) + " first";
  }

  /**
   * CREATE FUNCTION: loads the class on the driver (a missing class or a class without usable
   * eval methods fails here) and records the statement, so that a restarted engine has the
   * function again before it resumes the queries that call it.
   */
  private StatementResult createFunction(SqlCreateFunction create, String sql) {
    if (create.getReplace()) {
      throw new EngineException(ErrorCode.UNSUPPORTED,
          "CREATE OR REPLACE FUNCTION is not supported; DROP FUNCTION first");
    }
    Optional<FunctionDefinition> existing = catalog.findFunction(create.simpleName());
    if (existing.isPresent()) {
      if (create.ifNotExists()) {
        return new StatementResult.UpdateCount(0);
      }
      throw new EngineException(ErrorCode.ALREADY_EXISTS, "Function '" + existing.get().name()
          + "' already exists (class " + existing.get().className() + "); DROP FUNCTION it first");
    }
    FunctionDefinition f = planner.defineFunction(create);
    catalog.addFunction(f, create.ifNotExists());
    recordDdl(functionKey(f.name()), sql, "");
    return new StatementResult.UpdateCount(0);
  }

  /** DROP FUNCTION: refused while a running query calls the function. */
  private StatementResult dropFunction(String name, boolean ifExists) {
    Optional<FunctionDefinition> f = catalog.findFunction(name);
    if (f.isEmpty()) {
      if (ifExists) {
        return new StatementResult.UpdateCount(0);
      }
      throw new EngineException(ErrorCode.NOT_FOUND, "Function '" + name
          + "' does not exist; SHOW FUNCTIONS lists them");
    }
    for (QueryExecution q : driver.queries()) {
      if (q.state() == io.dstream.executor.scheduler.QueryState.RUNNING && FunctionUsage.calls(q.dag(), name)) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Function '" + f.get().name()
            + "' is called by running query " + q.id() + "; DROP QUERY " + q.id() + " first");
      }
    }
    catalog.removeFunction(f.get().name());
    synchronized (metadataLock) {
      ddl.remove(functionKey(f.get().name()));
      writeMetadata();
    }
    return new StatementResult.UpdateCount(0);
  }

  /** The key of a function's CREATE statement among the recorded DDL, apart from stream names. */
  private static String functionKey(String name) {
    return "function " + name.toLowerCase(java.util.Locale.ROOT);
  }

  /** Stops recording a query, so that a restart does not resume it. */
  private void forget(String query) {
    synchronized (metadataLock) {
      if (progress.remove(query) != null) {
        writeMetadata();
      }
    }
  }

  private StatementResult show(SqlShow show) {
    return switch (show.kind()) {
      case STREAMS -> showStreams(StreamDefinition.Kind.STREAM);
      case TABLES -> showStreams(StreamDefinition.Kind.TABLE);
      case QUERIES -> showQueries();
      case VIEWS -> showViews();
      case FUNCTIONS -> showFunctions();
    };
  }

  private StatementResult showStreams(StreamDefinition.Kind kind) {
    List<Object[]> rows = new ArrayList<>();
    for (StreamDefinition d : catalog.all()) {
      if (d.kind() != kind) {
        continue;
      }
      rows.add(new Object[] {d.name(), d.kind().name(), d.connector(),
          d.hasWatermark() ? d.rowType().column(d.timeColumn()).name() : null,
          d.hasWatermark() ? d.watermarkDelayMillis() + " ms" : null,
          d.query()});
    }
    return new StatementResult.RowSet(columns(kind == StreamDefinition.Kind.TABLE ? "table_name" : "stream_name",
        "kind", "connector", "event_time",
        "watermark_delay", "query"), rows);
  }

  private StatementResult showQueries() {
    List<Object[]> rows = new ArrayList<>();
    for (QueryExecution q : driver.queries()) {
      long wm = q.watermark();
      rows.add(new Object[] {q.id(), q.state().name(), q.sql(), q.completedBatches(), q.inputRows(),
          q.outputRows(), q.lateRows(), q.skippedRows(),
          wm == Long.MIN_VALUE ? null : wm == Long.MAX_VALUE ? "end of input" : Timestamps.format(wm),
          q.failure() == null ? null : q.failure().getMessage()});
    }
    rows.sort((a, b) -> Integer.compare(Integer.parseInt(((String) a[0]).substring(1)),
        Integer.parseInt(((String) b[0]).substring(1))));
    RowType type = new RowType(List.of(
        text("query_id"), text("state"), text("sql"), bigint("batches"), bigint("input_rows"),
        bigint("output_rows"), bigint("late_rows"), bigint("skipped_rows"), text("watermark"),
        text("error")));
    return new StatementResult.RowSet(type, rows);
  }

  private static final List<String> BUILT_IN_FUNCTIONS = List.of("COUNT", "SUM", "MIN", "MAX", "AVG", "TUMBLE",
      "HOP", "TUMBLE_START", "TUMBLE_END", "HOP_START", "HOP_END", "CAST", "CASE", "COALESCE", "MOD", "ABS",
      "FLOOR", "CEIL", "UPPER", "LOWER", "CHAR_LENGTH", "SUBSTRING", "TRIM", "POSITION", "LIKE");

  private StatementResult showFunctions() {
    List<Object[]> rows = new ArrayList<>();
    for (FunctionDefinition f : catalog.functions()) {
      for (EvalMethod m : f.methods()) {
        rows.add(new Object[] {f.name(), "USER", f.className(), m.sqlSignature()});
      }
    }
    for (String f : BUILT_IN_FUNCTIONS) {
      rows.add(new Object[] {f, "BUILT-IN", null, null});
    }
    return new StatementResult.RowSet(columns("function_name", "kind", "class_name", "signature"), rows);
  }

  /** What SHOW FUNCTIONS lists: user functions (one entry per signature), then built-ins. */
  @Override
  public List<FunctionEntry> functions() {
    List<FunctionEntry> out = new ArrayList<>();
    for (FunctionDefinition f : catalog.functions()) {
      for (EvalMethod m : f.methods()) {
        out.add(new FunctionEntry(f.name(), false, m.sqlSignature()));
      }
    }
    for (String f : BUILT_IN_FUNCTIONS) {
      out.add(new FunctionEntry(f, true, null));
    }
    return out;
  }

  private StatementResult describe(String name) {
    Optional<MaterializedView> view = findView(name);
    if (view.isPresent()) {
      return describeView(view.get());
    }
    StreamDefinition d = catalog.find(name).orElseThrow(() -> new EngineException(ErrorCode.NOT_FOUND,
        "No stream, table or materialized view is named '" + name + "'; SHOW STREAMS, SHOW TABLES and"
            + " SHOW VIEWS list them"));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < d.rowType().size(); i++) {
      Column c = d.rowType().column(i);
      rows.add(new Object[] {c.name(), c.type().sqlName(), c.type().nullable() ? "YES" : "NO",
          i == d.timeColumn() ? "WATERMARK " + c.name() + " - " + d.watermarkDelayMillis() + " ms" : null});
    }
    return new StatementResult.RowSet(columns("column_name", "type", "nullable", "watermark"), rows);
  }

  private StatementResult explain(SqlNode statement) {
    SqlNode query = statement instanceof SqlCreateStream create && create.query().isPresent()
        ? create.query().get() : statement;
    Optional<StatementResult> onViews = explainOnViews(query);
    if (onViews.isPresent()) {
      return onViews.get();
    }
    PlannedQuery planned = planner.plan(query);
    QueryDag dag = driver.dag("explain", planned.plan());
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {"Logical plan (Calcite):"});
    for (String line : planned.logicalPlan().split("\n")) {
      rows.add(new Object[] {"  " + line});
    }
    rows.add(new Object[] {"D-stream DAG (batch interval " + config.batchIntervalMillis() + " ms, "
        + driver.workers().size() + " workers):"});
    for (String line : dag.describe().split("\n")) {
      rows.add(new Object[] {"  " + line});
    }
    return new StatementResult.RowSet(columns("plan"), rows);
  }

  /**
   * EXPLAIN of a query on materialized views or tables: a pull query's Calcite plan, or for
   * SELECT STREAM on a view, the plan each batch of the view's changes goes through.
   */
  private Optional<StatementResult> explainOnViews(SqlNode statement) {
    SqlNode query = statement instanceof SqlEmitChanges emit ? emit.query() : statement;
    if (!query.isA(SqlKind.QUERY)) {
      return Optional.empty();
    }
    List<String> read = new ArrayList<>();
    FromNames.collect(query, false, read);
    SqlNode core = query instanceof org.apache.calcite.sql.SqlOrderBy orderBy ? orderBy.query : query;
    boolean stream = statement instanceof SqlEmitChanges || core instanceof SqlSelect select
        && select.isKeywordPresent(org.apache.calcite.sql.SqlSelectKeyword.STREAM);
    Optional<MaterializedView> view = read.stream().map(this::findView).flatMap(Optional::stream).findFirst();
    List<Object[]> rows = new ArrayList<>();
    if (stream && view.isPresent()) {
      if (!(query instanceof SqlSelect select) || read.stream().anyMatch(n -> findView(n).orElse(null) != view.get())) {
        return Optional.of(subscribe(query, read, view.get())); // refused there, with its message
      }
      rows.add(new Object[] {"Changelog subscription to materialized view " + view.get().name()
          + " (its rows when it starts as +I, then each batch's changes), each batch of changes through:"});
      for (String line : ChangeFeed.explain(view.get().name(), view.get().table().rowType(), select)) {
        rows.add(new Object[] {"  " + line});
      }
    } else if (!stream && isPullQuery(read)) {
      checkPullReads(read);
      rows.add(new Object[] {"Pull query (Calcite, over one snapshot of each view and the tables' rows):"});
      for (String line : PullQuery.explain(pullText(query), pullInputs(read, false))) {
        rows.add(new Object[] {"  " + line});
      }
    } else {
      return Optional.empty();
    }
    return Optional.of(new StatementResult.RowSet(columns("plan"), rows));
  }

  private static RowType columns(String... names) {
    List<Column> out = new ArrayList<>();
    for (String n : names) {
      out.add(text(n));
    }
    return new RowType(out);
  }

  private static Column text(String name) {
    return new Column(name, DataType.of(Kind.VARCHAR));
  }

  private static Column bigint(String name) {
    return new Column(name, DataType.of(Kind.BIGINT));
  }

  @Override
  public List<CatalogEntry> catalog() {
    List<CatalogEntry> out = new ArrayList<>();
    for (StreamDefinition d : catalog.all()) {
      out.add(new CatalogEntry(d.name(), d.kind().name(), d.rowType()));
    }
    for (MaterializedView v : views.values()) {
      out.add(new CatalogEntry(v.name(), "VIEW", v.table().rowType(), v.keyColumns()));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      driver.close();
    } finally {
      sources.close();
      if (replicator != null) {
        replicator.close();
      }
    }
  }

  /** For tests: options of a stream as declared. */
  Map<String, String> options(String stream) {
    return new LinkedHashMap<>(catalog.get(stream).options());
  }
}
