package io.dstream.planner;

import static java.util.Objects.requireNonNull;

import io.dstream.executor.error.EngineException;
import io.dstream.executor.error.ErrorCode;
import io.dstream.executor.type.Column;
import io.dstream.executor.type.DataType;
import io.dstream.executor.type.RowType;
import io.dstream.parser.StreamSqlParser;
import io.dstream.parser.ddl.SqlColumn;
import io.dstream.parser.ddl.SqlCreateStream;
import io.dstream.parser.ddl.SqlWatermark;
import io.dstream.planner.catalog.Catalog;
import io.dstream.planner.catalog.StreamDefinition;
import io.dstream.planner.schema.CatalogSchema;
import io.dstream.planner.schema.TypeMapping;
import io.dstream.planner.translate.RelTranslator;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
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

  private final Catalog catalog;

  public StreamPlanner(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** Plans a SELECT STREAM query. */
  public PlannedQuery plan(SqlNode query) {
    JavaTypeFactoryImpl types = typeFactory();
    CalciteCatalogReader reader = reader(types);
    SqlValidator validator = validator(reader, types);
    SqlNode validated;
    try {
      validated = validator.validate(query);
    } catch (CalciteContextException e) {
      throw new EngineException(ErrorCode.VALIDATION_ERROR, String.format(
          "Validation error at line %d, column %d: %s", e.getPosLine(), e.getPosColumn(),
          e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
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
    RelTranslator translator = new RelTranslator(catalog, rexBuilder);
    RowType rowType = TypeMapping.toRowType(rel.getRowType());
    return new PlannedQuery(translator.translate(rel), rowType, RelOptUtil.toString(rel));
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
    return new StreamValidator(StreamOperators.table(), reader, types,
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
