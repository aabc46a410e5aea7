package io.dstream.jdbcserver.engine;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.cluster.ClusterTransport;
import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.scheduler.Driver;
import io.dstream.executor.scheduler.QueryDag;
import io.dstream.executor.scheduler.QueryExecution;
import io.dstream.executor.sink.Sink;
import io.dstream.executor.sink.SinkFactory;
import io.dstream.executor.sink.SinkRegistry;
import io.dstream.executor.source.MemoryLog;
import io.dstream.executor.source.MemorySourceFactory;
import io.dstream.executor.source.Source;
import io.dstream.executor.source.SourceDescriptor;
import io.dstream.executor.source.SourceFactory;
import io.dstream.executor.source.SourceRegistry;
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
import io.dstream.parser.ddl.SqlCreateStream;
import io.dstream.parser.ddl.SqlDropObject;
import io.dstream.parser.ddl.SqlShow;
import io.dstream.planner.PlannedQuery;
import io.dstream.planner.StreamPlanner;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.StreamDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;

/**
 * The embedded engine: a catalog, a planner and a driver with in-process workers. Runs one SQL
 * statement at a time per call; calls may come from many threads.
 */
public final class Engine implements SqlEngine {
  private final EngineConfig config;
  private final Catalog catalog = new Catalog();
  private final StreamPlanner planner = new StreamPlanner(catalog);
  private final Driver driver;
  private final MemorySourceFactory memory = new MemorySourceFactory();
  private final SourceRegistry sources = SourceRegistry.defaults(memory);
  private final SinkRegistry sinks = SinkRegistry.defaults();
  private final AtomicInteger queryIds = new AtomicInteger();
  private ClusterTransport cluster;

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

  @Override
  public StatementResult execute(String sql) {
    SqlNode node;
    try {
      node = StreamSqlParser.parse(sql);
    } catch (SqlParseFailure e) {
      throw new EngineException(ErrorCode.SYNTAX_ERROR, e.getMessage(), e);
    }
    if (node instanceof SqlCreateStream create) {
      return create.query().isPresent() ? createDerived(create, sql) : create(create);
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
    if (node.isA(SqlKind.QUERY)) {
      return push(node, sql);
    }
    throw new EngineException(ErrorCode.UNSUPPORTED, "Statement not supported: " + node.getKind());
  }

  /** INSERT INTO a memory stream: the rows are appended to its log and read by the next batch. */
  private StatementResult insert(SqlInsert insert) {
    StreamDefinition d = catalog.get(InsertValues.target(insert));
    if (!d.connector().equalsIgnoreCase("memory")) {
      throw new EngineException(ErrorCode.UNSUPPORTED, "INSERT INTO works on streams with connector 'memory';"
          + " stream '" + d.name() + "' reads from its '" + d.connector() + "' connector");
    }
    List<Object[]> rows = InsertValues.rows(insert, d.rowType());
    memoryLog(d.name()).append(rows);
    return new StatementResult.UpdateCount(rows.size());
  }

  private StatementResult create(SqlCreateStream create) {
    StreamDefinition d = planner.define(create);
    if (d.kind() == StreamDefinition.Kind.TABLE) {
      throw new EngineException(ErrorCode.UNSUPPORTED,
          "CREATE TABLE (static tables for joins) is not supported yet; use CREATE STREAM");
    }
    if (d.connector().isEmpty()) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Stream '" + d.name()
          + "' needs a connector: WITH (connector = 'csv' | 'nexmark' | 'memory', ...); available: "
          + String.join(", ", sources.connectors()));
    }
    if (catalog.find(d.name()).isPresent()) {
      if (create.ifNotExists()) {
        return new StatementResult.UpdateCount(0);
      }
      throw new EngineException(ErrorCode.ALREADY_EXISTS, "Stream '" + d.name() + "' already exists");
    }
    sources.factory(d.connector()).validate(d.name(), d.rowType(), d.options());
    catalog.add(d, create.ifNotExists());
    return new StatementResult.UpdateCount(0);
  }

  private StatementResult createDerived(SqlCreateStream create, String sql) {
    String name = create.name().getSimple();
    if (catalog.find(name).isPresent()) {
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
    PlannedQuery planned = planner.plan(create.query().get());
    SinkFactory factory = sinks.factory(connector);
    factory.validate(name, planned.rowType(), options);
    QueryDag dag = driver.dag("check", planned.plan());
    Source source = source(dag);
    Sink sink = factory.create(name, planned.rowType(), options);
    catalog.add(new StreamDefinition(name, StreamDefinition.Kind.STREAM, planned.rowType(), -1, 0, options, sql),
        false);
    driver.start(nextQueryId(), sql, planned.plan(), source, descriptor(dag), sink);
    return new StatementResult.UpdateCount(0);
  }

  private StatementResult push(SqlNode query, String sql) {
    if (!(query instanceof SqlSelect select) || !select.isKeywordPresent(
        org.apache.calcite.sql.SqlSelectKeyword.STREAM)) {
      if (query instanceof SqlSelect) {
        throw new EngineException(ErrorCode.UNSUPPORTED, "Streams are read with SELECT STREAM ...;"
            + " pull queries on streams come with materialized views");
      }
    }
    PlannedQuery planned = planner.plan(query);
    String id = nextQueryId();
    QueryDag dag = driver.dag(id, planned.plan());
    Source source = source(dag);
    PushSink sink = new PushSink(planned.rowType(), () -> driver.stop(id));
    driver.start(id, sql, planned.plan(), source, descriptor(dag), sink);
    return sink;
  }

  private Source source(QueryDag dag) {
    StreamDefinition d = catalog.get(dag.scan().stream());
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

  private SourceDescriptor descriptor(QueryDag dag) {
    StreamDefinition d = catalog.get(dag.scan().stream());
    return new SourceDescriptor(d.name(), d.connector(), d.rowType(), d.options());
  }

  private String nextQueryId() {
    return "q" + queryIds.incrementAndGet();
  }

  private StatementResult drop(SqlDropObject drop) {
    String name = drop.name().getSimple();
    switch (drop.kind()) {
      case QUERY -> {
        if (!driver.stop(name) && !drop.ifExists()) {
          throw new EngineException(ErrorCode.NOT_FOUND, "Query '" + name + "' does not exist; SHOW QUERIES lists them");
        }
        return new StatementResult.UpdateCount(0);
      }
      case STREAM, TABLE -> {
        Optional<StreamDefinition> d = catalog.find(name);
        if (d.isEmpty()) {
          if (drop.ifExists()) {
            return new StatementResult.UpdateCount(0);
          }
          throw new EngineException(ErrorCode.NOT_FOUND, "Stream '" + name + "' does not exist");
        }
        for (QueryExecution q : driver.queries()) {
          if (q.state() == io.dstream.executor.scheduler.QueryState.RUNNING
              && q.dag().scan().stream().equalsIgnoreCase(d.get().name())) {
            throw new EngineException(ErrorCode.VALIDATION_ERROR, "Stream '" + d.get().name()
                + "' is read by running query " + q.id() + "; DROP QUERY " + q.id() + " first");
          }
        }
        if (d.get().query() != null) {
          for (QueryExecution q : driver.queries()) {
            if (q.sql().equals(d.get().query())) {
              driver.stop(q.id());
            }
          }
        }
        catalog.remove(d.get().name());
        memory.drop(d.get().name());
        return new StatementResult.UpdateCount(0);
      }
      default -> throw new EngineException(ErrorCode.UNSUPPORTED, "Materialized views are not supported yet");
    }
  }

  private StatementResult show(SqlShow show) {
    return switch (show.kind()) {
      case STREAMS, TABLES -> showStreams();
      case QUERIES -> showQueries();
      case VIEWS -> new StatementResult.RowSet(columns("view_name", "query"), List.of());
      case FUNCTIONS -> showFunctions();
    };
  }

  private StatementResult showStreams() {
    List<Object[]> rows = new ArrayList<>();
    for (StreamDefinition d : catalog.all()) {
      rows.add(new Object[] {d.name(), d.kind().name(), d.connector(),
          d.hasWatermark() ? d.rowType().column(d.timeColumn()).name() : null,
          d.hasWatermark() ? d.watermarkDelayMillis() + " ms" : null,
          d.query()});
    }
    return new StatementResult.RowSet(columns("stream_name", "kind", "connector", "event_time",
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

  private StatementResult showFunctions() {
    List<Object[]> rows = new ArrayList<>();
    for (String f : List.of("COUNT", "SUM", "MIN", "MAX", "AVG", "TUMBLE", "HOP", "TUMBLE_START",
        "TUMBLE_END", "HOP_START", "HOP_END", "CAST", "CASE", "COALESCE", "MOD", "ABS", "FLOOR",
        "CEIL", "UPPER", "LOWER", "CHAR_LENGTH", "SUBSTRING", "TRIM", "POSITION", "LIKE")) {
      rows.add(new Object[] {f});
    }
    return new StatementResult.RowSet(columns("function_name"), rows);
  }

  private StatementResult describe(String name) {
    StreamDefinition d = catalog.get(name);
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
    return out;
  }

  @Override
  public void close() {
    driver.close();
  }

  /** For tests: options of a stream as declared. */
  Map<String, String> options(String stream) {
    return new LinkedHashMap<>(catalog.get(stream).options());
  }
}
