package io.dstream.planner;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.plan.PlanNode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.parser.StreamSqlParser;
import io.dstream.executor.function.FunctionClasses;
import io.dstream.parser.ddl.SqlColumn;
import io.dstream.parser.ddl.SqlCreateFunction;
import io.dstream.parser.ddl.SqlCreateStream;
import io.dstream.parser.ddl.SqlEmitChanges;
import io.dstream.parser.ddl.SqlWatermark;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.FunctionDefinition;
import io.dstream.planner.catalog.StreamDefinition;
import io.dstream.planner.catalog.TableLoader;
import io.dstream.planner.schema.CatalogSchema;
import io.dstream.planner.schema.TypeMapping;
import io.dstream.planner.translate.EmitPolicy;
import io.dstream.planner.translate.RelTranslator;
import io.dstream.planner.translate.SlidingWindows;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlNameMatchers;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Validates streaming SQL against the catalog and plans it: Calcite validation (with the
 * streaming rules), conversion to relational algebra, a few simplifying rewrites, then
 * translation to the executor's plan. Thread-safe: every call builds its own Calcite objects.
 */
public final class StreamPlanner {
  /**
   * Calcite's defaults, except that CASE branches of CHAR literals of different lengths give a
   * VARCHAR (as in Flink SQL and most databases) rather than blank-padded CHAR values.
   */
  private static final RelDataTypeSystem TYPE_SYSTEM = new RelDataTypeSystemImpl() {
    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
      return true;
    }
  };

  /**
   * Whether HOP aggregates are maintained incrementally from panes (default); system property
   * {@code dstream.incrementalHop=false} assigns rows to every window instead, for comparisons.
   */
  private static final boolean INCREMENTAL_HOP =
      !"false".equalsIgnoreCase(System.getProperty("dstream.incrementalHop"));

  private final Catalog catalog;

  public StreamPlanner(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** Plans a SELECT STREAM query for showing or checking: static tables it joins are not read. */
  public PlannedQuery plan(SqlNode query) {
    return plan(query, TableLoader.DEFERRED);
  }

  /**
   * Plans a SELECT STREAM query, optionally wrapped in {@link SqlEmitChanges}, to start it:
   * static tables it joins are read by {@code tables}.
   */
  public PlannedQuery plan(SqlNode query, TableLoader tables) {
    boolean changelog = query instanceof SqlEmitChanges;
    if (query instanceof SqlEmitChanges emit) {
      query = emit.query();
    }
    JavaTypeFactoryImpl types = typeFactory();
    CalciteCatalogReader reader = reader(types);
    SqlValidator validator = validator(reader, types, changelog);
    SqlNode validated;
    try {
      validated = validator.validate(SessionEnd.rewrite(query));
    } catch (CalciteContextException e) {
      String message = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      if (message != null && message.contains("requires at least one monotonic expression in GROUP BY")) {
        message += changelog
            ? ": for one row over the whole stream, updated every batch, write GROUP BY (); or group by a"
                + " key column or by a window (TUMBLE, HOP, SESSION)"
            : ": group by a window (TUMBLE, HOP, SESSION) so that results can be final, or add"
                + " EMIT CHANGES after the query for a changelog of results updated as rows arrive";
      }
      throw new EngineException(ErrorCode.VALIDATION_ERROR, String.format(
          "Validation error at line %d, column %d: %s", e.getPosLine(), e.getPosColumn(), message), e);
    } catch (RuntimeException e) {
      if (e instanceof EngineException) {
        throw e;
      }
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Validation error: " + e.getMessage(), e);
    }
    VolcanoPlanner volcano = new VolcanoPlanner();
    RexBuilder rexBuilder = new RexBuilder(types);
    RelOptCluster cluster = RelOptCluster.create(volcano, rexBuilder);
    SqlToRelConverter converter = new SqlToRelConverter(null, validator, reader, cluster,
        StandardConvertletTable.INSTANCE, SqlToRelConverter.config().withTrimUnusedFields(false));
    RelRoot relRoot;
    try {
      relRoot = converter.convertQuery(validated, false, true);
    } catch (EngineException e) {
      throw e;
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      throw new EngineException(ErrorCode.VALIDATION_ERROR, "Cannot plan the query: " + cause.getMessage(), e);
    }
    RelNode rel = optimize(relRoot.project());
    RelTranslator translator = new RelTranslator(catalog, rexBuilder, tables);
    PlanNode plan = EmitPolicy.apply(translator.translate(rel), catalog, changelog);
    if (INCREMENTAL_HOP) {
      plan = SlidingWindows.apply(plan);
    }
    RowType rowType = changelog ? plan.rowType() : TypeMapping.toRowType(rel.getRowType());
    return new PlannedQuery(plan, rowType, RelOptUtil.toString(rel));
  }

  /** Strings are UTF-8, so literals may hold any character (Calcite defaults to ISO-8859-1). */
  private static JavaTypeFactoryImpl typeFactory() {
    return new JavaTypeFactoryImpl(TYPE_SYSTEM) {
      @Override
      public java.nio.charset.Charset getDefaultCharset() {
        return java.nio.charset.StandardCharsets.UTF_8;
      }
    };
  }

  private CalciteCatalogReader reader(JavaTypeFactoryImpl types) {
    CalciteSchema root = CalciteSchema.createRootSchema(false, false);
    root.add("dstream", new CatalogSchema(catalog));
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    return new CalciteCatalogReader(root, List.of("dstream"), types,
        new CalciteConnectionConfigImpl(properties));
  }

  private static SqlValidator validator(CalciteCatalogReader reader, JavaTypeFactoryImpl types) {
    return validator(reader, types, false);
  }

  private static SqlValidator validator(CalciteCatalogReader reader, JavaTypeFactoryImpl types,
      boolean changelog) {
    // The catalog reader is an operator table too: it finds the user-defined functions.
    return new StreamValidator(changelog, SqlOperatorTables.chain(StreamOperators.table(),
        SqlOperatorTables.of(SessionEnd.MARKER), reader), reader, types,
        SqlValidator.Config.DEFAULT.withConformance(StreamSqlParser.config().conformance())
            .withIdentifierExpansion(true));
  }

  private static RelNode optimize(RelNode rel) {
    HepProgramBuilder program = new HepProgramBuilder()
        .addRuleInstance(CoreRules.FILTER_MERGE)
        .addRuleInstance(CoreRules.PROJECT_REMOVE);
    HepPlanner hep = new HepPlanner(program.build());
    hep.setRoot(rel);
    return hep.findBestExp();
  }

  /**
   * The catalog entry a CREATE FUNCTION declares: its class is loaded here, on the driver, and
   * its eval methods listed. A name taken by a built-in function is refused, since the built-in
   * would shadow it.
   */
  public FunctionDefinition defineFunction(SqlCreateFunction create) {
    String name = create.simpleName();
    List<SqlOperator> builtIns = new ArrayList<>();
    SqlStdOperatorTable.instance().lookupOperatorOverloads(new SqlIdentifier(name.toUpperCase(Locale.ROOT),
        SqlParserPos.ZERO), null, SqlSyntax.FUNCTION, builtIns, SqlNameMatchers.withCaseSensitive(false));
    if (!builtIns.isEmpty()) {
      throw new EngineException(ErrorCode.ALREADY_EXISTS, "Function '" + name
          + "' is a built-in function; choose another name");
    }
    return new FunctionDefinition(name, create.className(),
        FunctionClasses.evalMethods(name, create.className()));
  }

  /** The catalog entry a CREATE STREAM or CREATE TABLE with a column list declares. */
  public StreamDefinition define(SqlCreateStream create) {
    JavaTypeFactoryImpl types = typeFactory();
    SqlValidator validator = validator(reader(types), types);
    List<Column> columns = new ArrayList<>();
    for (SqlColumn c : create.columns()) {
      RelDataType type;
      try {
        type = c.type().deriveType(validator);
      } catch (RuntimeException e) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Unknown type of column '"
            + c.simpleName() + "': " + c.type(), e);
      }
      type = types.createTypeWithNullability(type, c.nullable());
      DataType dataType = TypeMapping.toDataType(type);
      RowType partial = new RowType(columns);
      if (partial.indexOf(c.simpleName()).isPresent()) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "Duplicate column '" + c.simpleName() + "'");
      }
      columns.add(new Column(c.simpleName(), dataType));
    }
    RowType rowType = new RowType(columns);
    int timeColumn = -1;
    long delay = 0;
    if (create.watermark().isPresent()) {
      SqlWatermark w = create.watermark().get();
      String name = w.column().names.get(w.column().names.size() - 1);
      timeColumn = rowType.indexOf(name).orElseThrow(() -> new EngineException(ErrorCode.VALIDATION_ERROR,
          "WATERMARK FOR '" + name + "': no such column in stream " + create.name()));
      if (rowType.type(timeColumn).kind() != DataType.Kind.TIMESTAMP) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "WATERMARK FOR '" + name
            + "': the column must be a TIMESTAMP, it is " + rowType.type(timeColumn));
      }
      SqlNode delayNode = w.delay().orElseThrow(() -> new EngineException(ErrorCode.VALIDATION_ERROR,
          "WATERMARK must be 'col' or 'col - INTERVAL ...', was: " + w.expression()));
      delay = intervalMillis(delayNode);
    }
    Map<String, String> options = create.options();
    StreamDefinition.Kind kind = create.isTable() ? StreamDefinition.Kind.TABLE : StreamDefinition.Kind.STREAM;
    return new StreamDefinition(create.name().getSimple(), kind, rowType, timeColumn, delay, options, null);
  }

  private static long intervalMillis(SqlNode node) {
    if (node instanceof SqlIntervalLiteral literal) {
      SqlIntervalLiteral.IntervalValue value = literal.getValueAs(SqlIntervalLiteral.IntervalValue.class);
      long millis = org.apache.calcite.sql.SqlIntervalQualifier.class.isInstance(value.getIntervalQualifier())
          ? org.apache.calcite.sql.parser.SqlParserUtil.intervalToMillis(value) : 0;
      if (millis < 0) {
        throw new EngineException(ErrorCode.VALIDATION_ERROR, "The watermark delay must not be negative");
      }
      return millis;
    }
    if (node instanceof SqlLiteral) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR,
          "The watermark delay must be an INTERVAL, such as INTERVAL '5' SECOND; was " + node);
    }
    throw new EngineException(ErrorCode.VALIDATION_ERROR,
        "The watermark delay must be a constant INTERVAL; was " + node);
  }
}
